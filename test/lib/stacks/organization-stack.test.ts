import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { boundaryProps } from '../../../lib/stacks/security';
import { OrganizationStack } from '../../../lib/stacks/organization-stack';
import { BoundaryChecks } from '../../../policies/boundary/pack';
import { referenceInput, testApp } from '../../helpers';
import { multiAccountInput, OUS } from '../../support/multi-account';
import { buildEnvironments } from '../../support/multi-account-build';

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

const targetsByName = (template: Template) =>
  Object.fromEntries(
    Object.values<any>(template.findResources('AWS::Organizations::Policy')).map((p) => [
      p.Properties.Name,
      { type: p.Properties.Type, targets: p.Properties.TargetIds },
    ]),
  );

describe('the organisation stack with integration OUs and environments (DEC-038)', () => {
  test('attaches each SCP to its zone, the tag policy to every zone and the backup policy to the back office', () => {
    const input = referenceInput();
    input.organization = {
      frontOfficeOuIds: [OUS.front],
      backOfficeOuIds: [OUS.back],
      integrationOuIds: [OUS.integration],
    };
    const blueprint = parseBlueprint(input);
    const template = Template.fromStack(
      new OrganizationStack(testApp(), 'OfficeZones-dev-Organization', { blueprint }),
    );
    expect(targetsByName(template)).toEqual({
      'OfficeZones-dev-front-office-guardrails': {
        type: 'SERVICE_CONTROL_POLICY',
        targets: [OUS.front],
      },
      'OfficeZones-dev-back-office-guardrails': {
        type: 'SERVICE_CONTROL_POLICY',
        targets: [OUS.back],
      },
      'OfficeZones-dev-integration-guardrails': {
        type: 'SERVICE_CONTROL_POLICY',
        targets: [OUS.integration],
      },
      'OfficeZones-dev-cost-tags': {
        type: 'TAG_POLICY',
        targets: [OUS.front, OUS.back, OUS.integration],
      },
      'OfficeZones-dev-back-office-backups': { type: 'BACKUP_POLICY', targets: [OUS.back] },
    });
    const [integration] = Object.values<any>(
      template.findResources('AWS::Organizations::Policy', {
        Properties: { Name: 'OfficeZones-dev-integration-guardrails' },
      }),
    );
    expect(JSON.stringify(integration.Properties.Content)).toContain('cdk-*-cfn-exec-role-*');
  });

  test("two environments sharing the blueprint's OUs build one organisation stack, in the management account", () => {
    const built = buildEnvironments(multiAccountInput());
    const test = built.get('test')!.organization!;
    expect(built.get('prod')!.organization).toBeUndefined();
    expect(test.stackName).toBe('OfficeZones-Organization');
    expect(test.account).toBe('200000000000');
    expect(test.region).toBe('us-east-1');
    // Deployed in us-east-1 for AWS Organizations, it backs up the zones' region.
    Template.fromStack(test).hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'BACKUP_POLICY',
      Content: Match.objectLike({
        plans: {
          'office-zones-back-office': Match.objectLike({ regions: { '@@assign': ['eu-west-2'] } }),
        },
      }),
    });
    expect(Object.keys(targetsByName(Template.fromStack(test))).sort()).toEqual([
      'OfficeZones-back-office-backups',
      'OfficeZones-back-office-guardrails',
      'OfficeZones-cost-tags',
      'OfficeZones-front-office-guardrails',
      'OfficeZones-integration-guardrails',
    ]);
  });

  test('an environment with OUs of its own gets an organisation stack of its own', () => {
    const input = multiAccountInput() as any;
    input.environments[1].organization = {
      frontOfficeOuIds: ['ou-ab12-prodfront'],
      backOfficeOuIds: ['ou-ab12-prodback1'],
      integrationOuIds: ['ou-ab12-prodinteg'],
    };
    const built = buildEnvironments(input);
    expect(built.get('test')!.organization!.stackName).toBe('OfficeZones-Organization');
    const prod = built.get('prod')!.organization!;
    expect(prod.stackName).toBe('OfficeZones-prod-Organization');
    expect(
      targetsByName(Template.fromStack(prod))['OfficeZones-prod-integration-guardrails'],
    ).toEqual({ type: 'SERVICE_CONTROL_POLICY', targets: ['ou-ab12-prodinteg'] });
  });
});
