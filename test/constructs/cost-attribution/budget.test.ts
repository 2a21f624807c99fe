import { Template } from 'aws-cdk-lib/assertions';
import { TagBudget } from '../../../constructs/cost-attribution/budget';
import { TagCostCategory } from '../../../constructs/cost-attribution/cost-category';
import { errorOf, testStack } from '../../helpers';

describe('TagBudget', () => {
  test('counts the spend of one tag value and alerts at the given thresholds', () => {
    const stack = testStack();
    new TagBudget(stack, 'Budget', {
      monthlyLimitUsd: 42.5,
      tag: { key: 'Product', value: 'kiosk' },
      notify: ['a@example.com', 'b@example.com'],
      actualThresholds: [50, 90],
    });
    const template = Template.fromStack(stack);
    const [budget] = Object.values<any>(template.findResources('AWS::Budgets::Budget'));
    expect(budget.Properties.Budget).toEqual({
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 42.5, Unit: 'USD' },
      CostFilters: { TagKeyValue: ['user:Product$kiosk'] },
    });
    expect(
      budget.Properties.NotificationsWithSubscribers.map((n: any) => [
        n.Notification.NotificationType,
        n.Notification.Threshold,
        n.Subscribers.length,
      ]),
    ).toEqual([
      ['ACTUAL', 50, 2],
      ['ACTUAL', 90, 2],
      ['FORECASTED', 100, 2],
    ]);
  });

  test('fails when nobody, or more than 10 addresses, would be alerted', () => {
    const props = { monthlyLimitUsd: 1, tag: { key: 'Product', value: 'kiosk' } };
    expect(errorOf(() => new TagBudget(testStack(), 'B', { ...props, notify: [] }))).toBe(
      'Test/B: notify must list 1 to 10 email addresses (received: 0 addresses)',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}@example.com`);
    expect(errorOf(() => new TagBudget(testStack(), 'B', { ...props, notify: eleven }))).toBe(
      'Test/B: notify must list 1 to 10 email addresses (received: 11 addresses)',
    );
  });

  test('counts only the linked accounts when given: the tag and the accounts are ANDed', () => {
    const stack = testStack();
    new TagBudget(stack, 'B', {
      monthlyLimitUsd: 10,
      tag: { key: 'Zone', value: 'front-office' },
      linkedAccounts: ['111122223333', '444455556666'],
      notify: ['a@example.com'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        CostFilters: {
          TagKeyValue: ['user:Zone$front-office'],
          LinkedAccount: ['111122223333', '444455556666'],
        },
      },
    });
  });

  test('fails when a linked account is not a 12-digit account id', () => {
    const build = () =>
      new TagBudget(testStack(), 'B', {
        monthlyLimitUsd: 10,
        tag: { key: 'Zone', value: 'front-office' },
        linkedAccounts: ['1234'],
        notify: ['a@example.com'],
      });
    expect(errorOf(build)).toBe(
      'Test/B: linkedAccounts[0] must be a 12-digit AWS account id (received: "1234")',
    );
  });

  test('fails when the name, the limit or a threshold would be refused, all at once', () => {
    const build = () =>
      new TagBudget(testStack(), 'B', {
        budgetName: 'web:shop',
        monthlyLimitUsd: 0,
        tag: { key: 'Product', value: 'kiosk' },
        notify: ['a@example.com'],
        forecastThresholds: [-5],
      });
    expect(errorOf(build)).toBe(
      [
        'Test/B: budgetName must be 1 to 100 characters, without : or \\ (received: "web:shop")',
        'Test/B: monthlyLimitUsd must be greater than zero (received: 0)',
        'Test/B: forecastThresholds[0] must be a percentage of the budget greater than 0 (received: -5)',
      ].join('\n'),
    );
  });
});

describe('TagCostCategory', () => {
  test('fails when the name would be refused', () => {
    expect(
      errorOf(
        () => new TagCostCategory(testStack(), 'C', { name: ' Team', tagKey: 'Team', values: {} }),
      ),
    ).toBe(
      'Test/C: name must be letters, digits, spaces, _ or -, not starting or ending with a space (received: " Team")',
    );
  });

  test('has one rule per tag value in order, and a default for everything else', () => {
    const stack = testStack();
    new TagCostCategory(stack, 'Category', {
      name: 'Team',
      tagKey: 'Team',
      values: { red: 'Red team', blue: 'Blue team' },
      defaultValue: 'Shared',
    });
    const [category] = Object.values<any>(
      Template.fromStack(stack).findResources('AWS::CE::CostCategory'),
    );
    expect(category.Properties.DefaultValue).toBe('Shared');
    expect(
      JSON.parse(category.Properties.Rules).map((r: any) => [r.Value, r.Rule.Tags.Values]),
    ).toEqual([
      ['Red team', ['red']],
      ['Blue team', ['blue']],
    ]);
  });
});
