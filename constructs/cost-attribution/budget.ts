import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';

export interface TagBudgetProps {
  /**
   * The budget's name, unique in the account (at most 100 characters, no `:` or `\`).
   * @default - a CloudFormation-generated name
   */
  readonly budgetName?: string;
  /** The monthly limit in US dollars. */
  readonly monthlyLimitUsd: number;
  /** The cost-allocation tag whose spend the budget counts, e.g. `{ key: 'Product', value: 'web-shop' }`. */
  readonly tag: { readonly key: string; readonly value: string };
  /** Email addresses alerted (at most 10). */
  readonly notify: readonly string[];
  /**
   * Percentages of the limit at which to alert on actual spend.
   * @default [80]
   */
  readonly actualThresholds?: readonly number[];
  /**
   * Percentages of the limit at which to alert on forecast spend.
   * @default [100]
   */
  readonly forecastThresholds?: readonly number[];
}

/**
 * A monthly AWS cost budget for everything that carries one cost-allocation tag value, with email
 * alerts. The tag must be activated as a cost-allocation tag in the payer account before Budgets
 * sees spend by it (see `CostAllocationTagActivation`).
 *
 * Default settings: monthly, in USD, unblended cost; alerts at 80% of actual and 100% of
 * forecast spend.
 */
export class TagBudget extends Construct {
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: TagBudgetProps) {
    super(scope, id);
    if (props.notify.length === 0 || props.notify.length > 10) {
      throw new Error(
        `${this.node.path}: a budget alerts 1 to 10 email addresses (received ${props.notify.length})`,
      );
    }
    const subscribers = props.notify.map((address) => ({ subscriptionType: 'EMAIL', address }));
    const alert = (notificationType: string, threshold: number) => ({
      notification: {
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
      },
      subscribers,
    });
    this.budget = new budgets.CfnBudget(this, 'Resource', {
      budget: {
        budgetName: props.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyLimitUsd, unit: 'USD' },
        // Legacy filter syntax, the one Budgets documents for tags: user:<key>$<value>.
        costFilters: { TagKeyValue: [`user:${props.tag.key}$${props.tag.value}`] },
      },
      notificationsWithSubscribers: [
        ...(props.actualThresholds ?? [80]).map((t) => alert('ACTUAL', t)),
        ...(props.forecastThresholds ?? [100]).map((t) => alert('FORECASTED', t)),
      ],
    });
  }
}
