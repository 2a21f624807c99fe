import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
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
 * A front-office principal holds IAM permissions on a back-office resource: an identity policy
 * of a front-office role, user or group (or a policy attached to one by name from another stack)
 * whose allowing statement names a back-office resource through a reference, a literal or
 * imported ARN, or a wildcard that covers one.
 */
export function crossZoneGrant(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (!IDENTITY_TYPES.has(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  if (!heldByFrontOffice(index, self)) return NagRuleCompliance.NOT_APPLICABLE;

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

/** Whether the principal that holds these permissions belongs to the front office. */
function heldByFrontOffice(index: BoundaryIndex, self: ResourceRef): boolean {
  if (self.stack.zone === 'front-office') return true;
  const props = self.resource.Properties ?? {};
  const attached = [...asList(props.Roles), ...asList(props.Users), ...asList(props.Groups)];
  return attached.some((value) => isFrontOfficePrincipal(index, value, self.stack));
}

function isFrontOfficePrincipal(index: BoundaryIndex, value: unknown, from: StackInfo): boolean {
  const pieces = index.pieces(value, from);
  const ref = pieces.find(isRef);
  if (ref) return ref.ref.stack.zone === 'front-office';
  if (pieces.length !== 1 || typeof pieces[0] !== 'string') return false;
  const name = pieces[0].split('/').pop() ?? '';
  return index
    .zoneNames('front-office')
    .some((n) => name === n || name.toLowerCase().startsWith(`${n.toLowerCase()}-`));
}
