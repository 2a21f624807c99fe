import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { asList, BoundaryIndex, isRef } from '../boundary-index';

/**
 * A broker method (CORS preflight aside) that does not require a Cognito user-pool authorizer
 * and at least one OAuth scope. An HTTP API route needs a JWT authorizer and scopes.
 */
export function brokerMethodAuthorizer(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'integration') return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const props = self.resource.Properties ?? {};
  const findings: string[] = [];

  if (self.resource.Type === 'AWS::ApiGateway::Method') {
    if (props.HttpMethod === 'OPTIONS') return NagRuleCompliance.NOT_APPLICABLE;
    const authorizer = index.pieces(props.AuthorizerId, self.stack).find(isRef)?.ref;
    const cognito =
      props.AuthorizationType === 'COGNITO_USER_POOLS' &&
      authorizer?.resource.Type === 'AWS::ApiGateway::Authorizer' &&
      authorizer.resource.Properties?.Type === 'COGNITO_USER_POOLS';
    if (!cognito) findings.push(`Authorizer::${String(props.AuthorizationType ?? 'NONE')}`);
    if (asList(props.AuthorizationScopes).length === 0) findings.push('Scopes');
  } else if (self.resource.Type === 'AWS::ApiGatewayV2::Route') {
    if (String(props.RouteKey ?? '').startsWith('OPTIONS '))
      return NagRuleCompliance.NOT_APPLICABLE;
    if (props.AuthorizationType !== 'JWT')
      findings.push(`Authorizer::${String(props.AuthorizationType ?? 'NONE')}`);
    if (asList(props.AuthorizationScopes).length === 0) findings.push('Scopes');
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
