import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { CostManagementStack } from '../../../lib/stacks/cost-management-stack';
import { buildReference, referenceInput, testApp } from '../../helpers';

/** The stack alone, in an app of its own: it references no other stack. */
function costManagementOf(input = referenceInput()) {
  const blueprint = parseBlueprint(input);
  return new CostManagementStack(testApp(), 'CostManagement', {
    blueprint,
    costManagement: blueprint.costManagement!,
  });
}

describe('the cost-management stack', () => {
  const template = Template.fromStack(costManagementOf());

  test('has a cost category that maps the zone tag to the three halves', () => {
    const [category] = Object.values<any>(template.findResources('AWS::CE::CostCategory'));
    expect(category.Properties).toMatchObject({
      Name: 'Office zone',
      RuleVersion: 'CostCategoryExpression.v1',
      DefaultValue: 'Unattributed',
    });
    expect(JSON.parse(category.Properties.Rules)).toEqual([
      {
        Value: 'Front office',
        Rule: { Tags: { Key: 'Zone', Values: ['front-office'], MatchOptions: ['EQUALS'] } },
      },
      {
        Value: 'Back office',
        Rule: { Tags: { Key: 'Zone', Values: ['back-office'], MatchOptions: ['EQUALS'] } },
      },
      {
        Value: 'Integration',
        Rule: { Tags: { Key: 'Zone', Values: ['integration'], MatchOptions: ['EQUALS'] } },
      },
    ]);
  });

  test("activates the contract's keys through a custom resource served by its own function", () => {
    const [activation] = Object.values<any>(template.findResources('Custom::CostAllocationTags'));
    expect(activation.Properties.TagKeys).toEqual([
      'Zone',
      'CostCentre',
      'Owner',
      'Product',
      'Environment',
    ]);
    const functionId = activation.Properties.ServiceToken['Fn::GetAtt'][0];
    const fn = template.toJSON().Resources[functionId];
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            // X-Ray's trace calls share the statement: neither has resource-level permissions.
            Action: [
              'ce:UpdateCostAllocationTagsStatus',
              'xray:PutTelemetryRecords',
              'xray:PutTraceSegments',
            ],
            Effect: 'Allow',
            Resource: '*',
          },
        ]),
      },
    });
  });

  test('retries the activation daily with the same keys, through the same function', () => {
    const [rule] = Object.values<any>(template.findResources('AWS::Events::Rule'));
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
    const [target] = rule.Properties.Targets;
    expect(JSON.parse(target.Input)).toEqual({
      TagKeys: ['Zone', 'CostCentre', 'Owner', 'Product', 'Environment'],
    });
    const [activation] = Object.values<any>(template.findResources('Custom::CostAllocationTags'));
    expect(target.Arn).toEqual(activation.Properties.ServiceToken);
  });

  test('refuses to deploy outside the region of Cost Explorer', () => {
    expect(template.toJSON().Rules.CostExplorerRegion).toEqual({
      Assertions: [
        {
          Assert: { 'Fn::Contains': [['us-east-1', 'cn-northwest-1'], { Ref: 'AWS::Region' }] },
          AssertDescription: expect.stringContaining(
            'Deploy the cost-management stack in us-east-1',
          ),
        },
      ],
    });
  });

  test('is left out when the blueprint does not ask for it, and the activation when it is switched off', () => {
    const without = referenceInput() as any;
    delete without.costManagement;
    expect(buildReference(without).stacks.costManagement).toBeUndefined();
    const noActivation = referenceInput() as any;
    noActivation.costManagement.activateCostAllocationTags = false;
    const t = Template.fromStack(costManagementOf(noActivation));
    t.resourceCountIs('AWS::CE::CostCategory', 1);
    t.resourceCountIs('Custom::CostAllocationTags', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
