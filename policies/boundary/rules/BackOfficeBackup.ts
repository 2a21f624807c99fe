import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import {
  asList,
  BoundaryIndex,
  isObject,
  isRef,
  patternOf,
  ResourceRef,
  serviceOf,
} from '../boundary-index';
import { globMatch } from '../iam';
import { STATEFUL_TYPES } from './stateful';

/**
 * A back-office stateful resource that AWS Backup can protect but no backup plan selects: no
 * `AWS::Backup::BackupSelection` lists it (by reference or ARN pattern) or matches its tags,
 * and no organisation backup policy in the app selects its tags.
 */
export function backOfficeBackup(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'back-office' || !STATEFUL_TYPES[node.cfnResourceType]?.backup) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = { ...self.stack.tags, ...index.resourceTags(self, node) };
  for (const ref of index.resources()) {
    if (ref.resource.Type === 'AWS::Backup::BackupSelection' && selects(index, ref, self, tags)) {
      return NagRuleCompliance.COMPLIANT;
    }
    if (
      ref.resource.Type === 'AWS::Organizations::Policy' &&
      ref.resource.Properties?.Type === 'BACKUP_POLICY' &&
      organizationPolicySelects(ref.resource.Properties?.Content, tags)
    ) {
      return NagRuleCompliance.COMPLIANT;
    }
  }
  return NagRuleCompliance.NON_COMPLIANT;
}

function selects(
  index: BoundaryIndex,
  selection: ResourceRef,
  target: ResourceRef,
  tags: Record<string, string>,
): boolean {
  const spec = selection.resource.Properties?.BackupSelection;
  if (!isObject(spec)) return false;
  const listed = (value: unknown) =>
    asList(value).some((element) => names(index, element, selection, target));
  const byResource = listed(spec.Resources);
  const byTag = asList(spec.ListOfTags).some(
    (t) =>
      isObject(t) &&
      typeof t.ConditionKey === 'string' &&
      tags[t.ConditionKey] === t.ConditionValue,
  );
  if (!byResource && !byTag) return false;
  if (listed(spec.NotResources)) return false;
  return conditionsHold(spec.Conditions, tags);
}

/** Whether one element of `Resources` names the target: a reference to it, or an ARN pattern that covers it. */
function names(
  index: BoundaryIndex,
  element: unknown,
  selection: ResourceRef,
  target: ResourceRef,
): boolean {
  const pieces = index.pieces(element, selection.stack);
  const refs = pieces.filter(isRef).map((p) => p.ref);
  if (refs.some((r) => r.stack === target.stack && r.logicalId === target.logicalId)) return true;
  if (refs.length > 0) return false;
  const pattern = patternOf(pieces).replace(/\$\{[^}]*\}/g, '*');
  if (pattern === '*') return true;
  const name = index.physicalName(target);
  const service = pattern.split(':')[2];
  if (
    !pattern.startsWith('arn:') ||
    !service ||
    !globMatch(service, serviceOf(target.resource.Type))
  ) {
    return false;
  }
  const tail = pattern.split(/[/:]/).pop() ?? '';
  return tail === '*' || (name !== undefined && globMatch(tail, name));
}

/** `Conditions` of a selection: every condition must hold (AND). */
function conditionsHold(conditions: unknown, tags: Record<string, string>): boolean {
  if (!isObject(conditions)) return true;
  const tagOf = (key: unknown) =>
    typeof key === 'string' ? tags[key.replace(/^aws:ResourceTag\//, '')] : undefined;
  for (const [operator, list] of Object.entries(conditions)) {
    for (const c of asList(list)) {
      if (!isObject(c)) continue;
      const actual = tagOf(c.ConditionKey);
      const expected = String(c.ConditionValue);
      const holds =
        operator === 'StringEquals'
          ? actual === expected
          : operator === 'StringNotEquals'
            ? actual !== expected
            : operator === 'StringLike'
              ? actual !== undefined && globMatch(expected, actual)
              : operator === 'StringNotLike'
                ? actual === undefined || !globMatch(expected, actual)
                : true;
      if (!holds) return false;
    }
  }
  return true;
}

/** An organisation backup policy whose plans select resources by one of these tags. */
function organizationPolicySelects(content: unknown, tags: Record<string, string>): boolean {
  let doc = content;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return false;
    }
  }
  if (!isObject(doc) || !isObject(doc.plans)) return false;
  for (const plan of Object.values(doc.plans)) {
    if (!isObject(plan) || !isObject(plan.selections) || !isObject(plan.selections.tags)) continue;
    for (const selection of Object.values(plan.selections.tags)) {
      if (!isObject(selection)) continue;
      const key = isObject(selection.tag_key) ? selection.tag_key['@@assign'] : undefined;
      const values = isObject(selection.tag_value) ? asList(selection.tag_value['@@assign']) : [];
      if (typeof key === 'string' && key in tags && values.includes(tags[key])) return true;
    }
  }
  return false;
}
