import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { BoundaryIndex } from '../boundary-index';
import { STATEFUL_TYPES } from './stateful';

const RETAINED = new Set(['Retain', 'RetainExceptOnCreate']);

/**
 * A back-office stateful resource (a table, database, file system, volume, bucket or key) that a
 * stack deletion or a replacement would destroy: its `DeletionPolicy` or `UpdateReplacePolicy`
 * is not `Retain`.
 */
export function backOfficeRetain(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'back-office' || !STATEFUL_TYPES[node.cfnResourceType]) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (!RETAINED.has(String(self.resource.DeletionPolicy))) findings.push('DeletionPolicy');
  if (self.resource.UpdateReplacePolicy !== 'Retain') findings.push('UpdateReplacePolicy');
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
