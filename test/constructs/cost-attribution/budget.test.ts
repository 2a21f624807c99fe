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
      'Test/B: a budget alerts 1 to 10 email addresses (received 0)',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}@example.com`);
    expect(errorOf(() => new TagBudget(testStack(), 'B', { ...props, notify: eleven }))).toBe(
      'Test/B: a budget alerts 1 to 10 email addresses (received 11)',
    );
  });
});

describe('TagCostCategory', () => {
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
