import { CfnResource, TagManager } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { BoundaryIndex, findingPart } from '../boundary-index';

/**
 * A resource that CDK can tag lacks a key of the cost-tag contract in its template: one finding
 * per missing key. Stack tags do not count here: they reach resources only at deploy time, and
 * finance reads the template's attribution in the cost report.
 */
export function costContractTags(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (!TagManager.isTaggable(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = index.resourceTags(self, node);
  const missing = index.props.costTagKeys.filter((key) => !(key in tags) || tags[key] === '');
  return missing.length > 0 ? missing.map(findingPart) : NagRuleCompliance.COMPLIANT;
}
