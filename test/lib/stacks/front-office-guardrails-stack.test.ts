import { Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { FrontOfficeGuardrailsStack } from '../../../lib/stacks/front-office-guardrails-stack';
import { referenceInput, testApp } from '../../helpers';

/** The stack alone, in an app of its own: it references no other stack. */
function guardrailsOf(input = referenceInput()) {
  return new FrontOfficeGuardrailsStack(testApp(), 'Guardrails', {
    blueprint: parseBlueprint(input),
  });
}

describe('the front-office guardrails stack', () => {
  test('holds the boundary as a managed policy with a fixed name, filled from the blueprint', () => {
    const template = Template.fromStack(guardrailsOf());
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policy.Properties.ManagedPolicyName).toBe('OfficeZones-dev-front-office-boundary');
    const sids = policy.Properties.PolicyDocument.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual([
      'AllowWithinTheBoundary',
      'DenyBackOfficeResources',
      'DenyChangesToIntegrationResources',
      'DenyChangesToBrokerRoles',
      'DenyChangesToBrokerCredentials',
      'DenyChangesToBrokerParameters',
      'DenyCreatingWithoutZone',
      'DenyCreatingWithoutCostCentre',
      'DenyCreatingWithoutOwner',
      'DenyCreatingWithoutProduct',
      'DenyCreatingWithoutEnvironment',
      'DenyRolesWithoutThisBoundary',
      'DenyRemovingTheBoundary',
      'DenyChangingTheBoundary',
    ]);
    const broker = policy.Properties.PolicyDocument.Statement[4];
    expect(JSON.stringify(broker.Resource)).toContain(
      ':secret:office-zones/OfficeZones/dev/broker/*',
    );
  });

  test("uses the contract's own key names", () => {
    const input = referenceInput() as any;
    input.costTags = {
      zone: { key: 'office-zone', pattern: '^(front-office|back-office|integration)$' },
      costCentre: { key: 'cost:centre', pattern: '^CC-[0-9]{4}$' },
    };
    const template = Template.fromStack(guardrailsOf(input));
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('"aws:ResourceTag/office-zone":"back-office"');
    expect(text).toContain('"aws:RequestTag/cost:centre":"true"');
    expect(text).toContain('"Sid":"DenyCreatingWithoutcostcentre"');
  });
});
