import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import {
  asList,
  BoundaryIndex,
  findingPart,
  isRef,
  ResourceRef,
  StackInfo,
} from '../boundary-index';
import { actionServices, allows, reachInZone, statementsOf } from '../iam';

const IDENTITY_TYPES = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
]);

/**
 * A principal outside the back office, other than the broker's integration roles, holds IAM
 * permissions on a back-office resource: an identity policy of a front-office role, user or group,
 * or of one in an IT stack that is not the back office (the broker's other roles, the guardrails,
 * cost management, a stack outside the blueprint), or a policy attached to one by name or
 * reference from another stack, whose allowing statement names a back-office resource through a
 * reference, a literal or imported ARN, or a wildcard that covers one.
 */
export function crossZoneGrant(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (!IDENTITY_TYPES.has(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  if (!heldByOutsider(index, self)) return NagRuleCompliance.NOT_APPLICABLE;

  const props = self.resource.Properties ?? {};
  const documents =
    self.resource.Type === 'AWS::IAM::Policy' || self.resource.Type === 'AWS::IAM::ManagedPolicy'
      ? [props.PolicyDocument]
      : asList(props.Policies).map((p) => (p as Record<string, unknown>)?.PolicyDocument);

  const findings = new Set<string>();
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      if (!allows(statement)) continue;
      const services = actionServices(statement);
      const elements = statement.NotResource !== undefined ? ['*'] : asList(statement.Resource);
      for (const element of elements) {
        for (const reach of reachInZone(index, element, self.stack, 'back-office', services)) {
          findings.add(findingPart(reach.finding));
        }
      }
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

const PRINCIPAL_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/**
 * Whether a principal that holds these permissions is outside the back office and not one of the
 * broker's integration roles. A role, user or group holds its own inline policies; a policy is
 * held by the principals it is attached to (its `Roles`, `Users`, `Groups`, and the principals of
 * the app that list it in `ManagedPolicyArns`). Anything in a front-office stack is held by the
 * front office. A policy nobody in the app holds (a permission boundary) grants nothing here.
 */
function heldByOutsider(index: BoundaryIndex, self: ResourceRef): boolean {
  if (self.stack.zone === 'front-office') return true;
  if (PRINCIPAL_TYPES.has(self.resource.Type)) return outsiderRole(index, self);
  const props = self.resource.Properties ?? {};
  const attached = [...asList(props.Roles), ...asList(props.Users), ...asList(props.Groups)];
  if (attached.some((value) => outsiderPrincipal(index, value, self.stack))) return true;
  return (managedPolicyHolders(index).get(key(self)) ?? []).some((holder) =>
    outsiderRole(index, holder),
  );
}

function outsiderRole(index: BoundaryIndex, principal: ResourceRef): boolean {
  if (principal.stack.zone === 'back-office') return false;
  const name = index.physicalName(principal);
  return !(
    principal.resource.Type === 'AWS::IAM::Role' &&
    name !== undefined &&
    index.props.integrationRoleNames.includes(name)
  );
}

/** Whether a role, user or group a policy names (by reference, name or ARN) is an outsider. */
function outsiderPrincipal(index: BoundaryIndex, value: unknown, from: StackInfo): boolean {
  const pieces = index.pieces(value, from);
  const ref = pieces.find(isRef);
  if (ref) return outsiderRole(index, ref.ref);
  if (pieces.length !== 1 || typeof pieces[0] !== 'string') return true;
  const name = pieces[0].split('/').pop() ?? '';
  if (index.props.integrationRoleNames.includes(name)) return false;
  const startsWith = (zone: 'front-office' | 'back-office') =>
    index
      .zoneNames(zone)
      .some((n) => name === n || name.toLowerCase().startsWith(`${n.toLowerCase()}-`));
  // A name the back office gave (or its stack name starts) stays inside; any other is outside.
  return startsWith('front-office') || !startsWith('back-office');
}

const key = (ref: ResourceRef) => `${ref.stack.name}/${ref.logicalId}`;

/** The principals of the app that attach each managed policy through `ManagedPolicyArns`. */
function managedPolicyHolders(index: BoundaryIndex): Map<string, ResourceRef[]> {
  return index.once('B1:managedPolicyHolders', () => {
    const holders = new Map<string, ResourceRef[]>();
    for (const principal of index.resources()) {
      if (!PRINCIPAL_TYPES.has(principal.resource.Type)) continue;
      const arns = principal.resource.Properties?.ManagedPolicyArns;
      for (const policy of index.referencesIn(arns, principal.stack)) {
        if (policy.resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
        holders.set(key(policy), [...(holders.get(key(policy)) ?? []), principal]);
      }
    }
    return holders;
  });
}
