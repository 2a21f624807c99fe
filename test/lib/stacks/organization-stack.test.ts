import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { boundaryProps } from '../../../lib/stacks/security';
import { OrganizationStack } from '../../../lib/stacks/organization-stack';
import { BoundaryChecks } from '../../../policies/boundary/pack';
import { referenceInput, testApp } from '../../helpers';

const FRONT = 'ou-ab12-frontoff1';
const BACK = 'ou-ab12-backoff01';

function withOrganization() {
  const input = referenceInput();
  input.organization = { frontOfficeOuIds: [FRONT], backOfficeOuIds: [BACK] };
  return parseBlueprint(input);
}

describe('the organisation stack', () => {
  const blueprint = withOrganization();
  const app = testApp();
  const stack = new OrganizationStack(app, 'OfficeZones-dev-Organization', { blueprint });
  const template = Template.fromStack(stack);

  test('attaches the front-office SCP, the back-office SCP, the tag policy and the backup policy to the blueprint OUs', () => {
    const policies = template.findResources('AWS::Organizations::Policy');
    const byName = Object.fromEntries(
      Object.values(policies).map((p: any) => [
        p.Properties.Name,
        { type: p.Properties.Type, targets: p.Properties.TargetIds },
      ]),
    );
    expect(byName).toEqual({
      'OfficeZones-dev-front-office-guardrails': {
        type: 'SERVICE_CONTROL_POLICY',
        targets: [FRONT],
      },
      'OfficeZones-dev-back-office-guardrails': { type: 'SERVICE_CONTROL_POLICY', targets: [BACK] },
      'OfficeZones-dev-cost-tags': { type: 'TAG_POLICY', targets: [FRONT, BACK] },
      'OfficeZones-dev-back-office-backups': { type: 'BACKUP_POLICY', targets: [BACK] },
    });
  });

  test('the backup policy runs in the stack region and partition', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'BACKUP_POLICY',
      Content: Match.objectLike({
        plans: {
          'office-zones-back-office': Match.objectLike({
            regions: { '@@assign': [{ Ref: 'AWS::Region' }] },
          }),
        },
      }),
    });
  });

  test('carries the cost-tag contract and passes the boundary pack', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Tags: Match.arrayWith([
        { Key: 'CostCentre', Value: blueprint.broker.costCentre },
        { Key: 'Zone', Value: 'integration' },
      ]),
    });
    const report = new BoundaryChecks(undefined, boundaryProps(blueprint)).validateScope(app);
    expect(report.violations).toEqual([]);
  });

  test('is built only when the blueprint names OUs', () => {
    expect(buildOfficeZones(testApp(), blueprint).organization).toBeInstanceOf(OrganizationStack);
    expect(
      buildOfficeZones(testApp(), parseBlueprint(referenceInput())).organization,
    ).toBeUndefined();
  });
});
