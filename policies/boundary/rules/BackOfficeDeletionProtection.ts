import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { asList, BoundaryIndex, isObject } from '../boundary-index';
import { STATEFUL_TYPES } from './stateful';

/**
 * A back-office stateful resource whose service offers deletion protection (DynamoDB, RDS,
 * DocumentDB, Neptune) without it turned on, on every replica of a global table.
 */
export function backOfficeDeletionProtection(
  node: CfnResource,
  index: BoundaryIndex,
): NagRuleResult {
  const path = STATEFUL_TYPES[node.cfnResourceType]?.deletionProtection;
  if (index.zoneOf(node) !== 'back-office' || !path) return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const values = valuesAt(self.resource.Properties ?? {}, path);
  const on = values.length > 0 && values.every((v) => v === true || v === 'true');
  return on ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  const [head, ...rest] = path;
  if (head === '[]') return asList(value).flatMap((v) => valuesAt(v, rest));
  return isObject(value) ? valuesAt(value[head], rest) : [undefined];
}
