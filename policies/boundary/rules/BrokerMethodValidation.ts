import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { BoundaryIndex, isObject, isRef } from '../boundary-index';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A broker method (CORS preflight aside) that API Gateway does not validate: no request
 * validator, or, for a method with a body, no body validation against a model. HTTP API routes
 * cannot validate requests at all.
 */
export function brokerMethodValidation(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'integration') return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const props = self.resource.Properties ?? {};

  if (self.resource.Type === 'AWS::ApiGatewayV2::Route') {
    if (String(props.RouteKey ?? '').startsWith('OPTIONS '))
      return NagRuleCompliance.NOT_APPLICABLE;
    return ['HttpApiRoute'];
  }
  if (self.resource.Type !== 'AWS::ApiGateway::Method' || props.HttpMethod === 'OPTIONS') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const validator = index.pieces(props.RequestValidatorId, self.stack).find(isRef)?.ref;
  const v =
    validator?.resource.Type === 'AWS::ApiGateway::RequestValidator'
      ? (validator.resource.Properties ?? {})
      : undefined;
  if (!v) return ['RequestValidator'];
  const findings: string[] = [];
  const on = (x: unknown) => x === true || x === 'true';
  if (!on(v.ValidateRequestBody) && !on(v.ValidateRequestParameters))
    findings.push('RequestValidator');
  if (WITH_BODY.has(String(props.HttpMethod))) {
    if (!on(v.ValidateRequestBody)) findings.push('Body');
    if (!isObject(props.RequestModels) || Object.keys(props.RequestModels).length === 0) {
      findings.push('Model');
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
