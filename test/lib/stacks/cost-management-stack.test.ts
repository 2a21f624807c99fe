import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_COST_TAGS, environmentBlueprints, parseBlueprint } from '../../../lib/blueprint';
import { CostManagementStack } from '../../../lib/stacks/cost-management-stack';
import { frontOfficeBudgets } from '../../../lib/stacks/office-zones';
import { buildReference, referenceInput, testApp } from '../../helpers';
import { manyProductsInput } from '../../support/many-products';
import { multiAccountInput } from '../../support/multi-account';
import { buildEnvironments } from '../../support/multi-account-build';

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

describe('budgets where they belong, with accounts (DEC-038)', () => {
  const built = buildEnvironments(multiAccountInput());
  const costManagement = built.get('test')!.costManagement!;
  const template = Template.fromStack(costManagement);

  test('one cost-management stack for the enterprise, in the management account, built with the first environment', () => {
    expect(built.get('prod')!.costManagement).toBeUndefined();
    expect(costManagement.stackName).toBe('OfficeZones-CostManagement');
    expect(costManagement.account).toBe('200000000000');
    expect(costManagement.region).toBe('us-east-1');
    template.resourceCountIs('AWS::CE::CostCategory', 1);
  });

  test("one front-office budget per environment: the sum of the product budgets, over the environment's front-office accounts and the zone tag", () => {
    const budgets = Object.values<any>(template.findResources('AWS::Budgets::Budget')).map(
      (b) => b.Properties,
    );
    const sum = 800 + 300; // web-shop and loyalty
    const alerts = [
      { type: 'ACTUAL', threshold: 80 },
      { type: 'FORECASTED', threshold: 100 },
    ];
    expect(
      budgets.map((b) => ({
        name: b.Budget.BudgetName,
        limit: b.Budget.BudgetLimit,
        filters: b.Budget.CostFilters,
        alerts: b.NotificationsWithSubscribers.map((n: any) => ({
          type: n.Notification.NotificationType,
          threshold: n.Notification.Threshold,
          to: n.Subscribers,
        })),
      })),
    ).toEqual([
      {
        name: 'OfficeZones-test-front-office',
        limit: { Amount: sum, Unit: 'USD' },
        filters: { TagKeyValue: ['user:Zone$front-office'], LinkedAccount: ['210000000003'] },
        alerts: alerts.map((a) => ({
          ...a,
          to: [{ SubscriptionType: 'EMAIL', Address: 'it-integration@northwind.example' }],
        })),
      },
      {
        name: 'OfficeZones-prod-front-office',
        limit: { Amount: sum, Unit: 'USD' },
        filters: {
          TagKeyValue: ['user:Zone$front-office'],
          LinkedAccount: ['310000000003', '310000000004'],
        },
        alerts: alerts.map((a) => ({
          ...a,
          to: [{ SubscriptionType: 'EMAIL', Address: 'it-integration@northwind.example' }],
        })),
      },
    ]);
  });

  test("alerts costManagement.notify when given, and the zone tag under the contract's key", () => {
    const input = multiAccountInput() as any;
    input.costManagement.notify = ['finance@northwind.example'];
    input.costTags = { zone: { ...DEFAULT_COST_TAGS.zone, key: 'Area' } };
    const t = Template.fromStack(buildEnvironments(input).get('test')!.costManagement!);
    t.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        CostFilters: { TagKeyValue: ['user:Area$front-office'], LinkedAccount: ['210000000003'] },
      }),
      NotificationsWithSubscribers: Match.arrayWith([
        Match.objectLike({
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@northwind.example' }],
        }),
      ]),
    });
  });

  test("each product's budget is in its own stack, in the product's account", () => {
    for (const [env, products] of built) {
      for (const product of products.products) {
        const name = product.stackName.split('-Product-')[1];
        const expected =
          env === 'prod' && name === 'web-shop'
            ? '310000000004'
            : env === 'prod'
              ? '310000000003'
              : '210000000003';
        expect({ stack: product.stackName, account: product.account }).toEqual({
          stack: product.stackName,
          account: expected,
        });
        Template.fromStack(product).hasResourceProperties('AWS::Budgets::Budget', {
          Budget: Match.objectLike({
            BudgetName: `OfficeZones-${env}-product-${name}`,
            CostFilters: { TagKeyValue: [`user:Product$${name}`] },
          }),
        });
      }
    }
  });

  test('the quick start has no consolidated budgets', () => {
    const quickStart = buildReference().stacks.costManagement!;
    expect(quickStart.frontOfficeBudgets.size).toBe(0);
    Template.fromStack(quickStart).resourceCountIs('AWS::Budgets::Budget', 0);
  });

  test('does not grow with the products: the same resources at 400 products as at 2', () => {
    const many = multiAccountInput() as any;
    many.frontOffice = (manyProductsInput(400) as any).frontOffice;
    delete many.environments[1].accounts.products;
    const count = (stack: CostManagementStack) =>
      Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    // The stack alone, as buildOfficeZones makes it in the first environment's stage.
    const [first] = environmentBlueprints(parseBlueprint(many));
    const big = new CostManagementStack(testApp(), 'CostManagement', {
      blueprint: first,
      costManagement: first.costManagement!,
      frontOfficeBudgets: frontOfficeBudgets(first),
    });
    expect(big.frontOfficeBudgets.size).toBe(2);
    expect(count(big)).toBe(count(costManagement));
    expect(count(big)).toBeLessThan(50);
  });
});
