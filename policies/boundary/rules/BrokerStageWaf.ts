import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { BoundaryIndex, isRef, patternOf } from '../boundary-index';

/**
 * A broker stage that no WAF web ACL protects: no `AWS::WAFv2::WebACLAssociation` in the app
 * names the stage's ARN. HTTP API stages cannot have a web ACL.
 */
export function brokerStageWaf(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'integration') return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  if (self.resource.Type === 'AWS::ApiGatewayV2::Stage') return ['HttpApiStage'];
  if (self.resource.Type !== 'AWS::ApiGateway::Stage') return NagRuleCompliance.NOT_APPLICABLE;

  const props = self.resource.Properties ?? {};
  const api = index.pieces(props.RestApiId, self.stack).find(isRef)?.ref;
  for (const ref of index.resources()) {
    if (ref.resource.Type !== 'AWS::WAFv2::WebACLAssociation') continue;
    const arn = index.pieces(ref.resource.Properties?.ResourceArn, ref.stack);
    const refs = arn.filter(isRef).map((p) => p.ref);
    const namesStage = refs.some((r) => r.stack === self.stack && r.logicalId === self.logicalId);
    const namesApi =
      api !== undefined && refs.some((r) => r.stack === api.stack && r.logicalId === api.logicalId);
    const text = patternOf(arn);
    const namesStageLiterally =
      typeof props.StageName === 'string' && text.endsWith(`/stages/${props.StageName}`);
    if (namesStage || (namesApi && namesStageLiterally)) return NagRuleCompliance.COMPLIANT;
  }
  return ['WebAcl'];
}
