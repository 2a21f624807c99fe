import { Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import {
  budgetNameProblem,
  MAX_BUDGET_SUBSCRIBERS,
  monthlyBudgetProblem,
  thresholdProblem,
} from './cost-rules';
import { COST_ATTRIBUTION_DEFAULTS } from './defaults';

const DEFAULTS = COST_ATTRIBUTION_DEFAULTS.tagBudget;

/** A cost-allocation tag and one of its values. */
export interface CostTag {
  /** The tag key, e.g. `Product`. */
  readonly key: string;
  /** The tag value, e.g. `web-shop`. */
  readonly value: string;
}

export interface TagBudgetProps {
  /**
   * The budget's name, unique in the account (at most 100 characters, no `:` or `\`).
   * @default - a CloudFormation-generated name
   * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
   */
  readonly budgetName?: string;
  /** The monthly limit, in US dollars. Range: greater than 0. */
  readonly monthlyLimitUsd: number;
  /** The cost-allocation tag whose spend the budget counts, e.g. `{ key: 'Product', value: 'web-shop' }`. */
  readonly tag: CostTag;
  /**
   * Count only the spend of these member accounts (the `LinkedAccount` filter, ANDed with the
   * tag): for a budget in the management (payer) account that watches some accounts. Range: 12-digit
   * account ids.
   * @default - every account whose spend the budget's account sees
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-budgets-budget-budgetdata.html
   */
  readonly linkedAccounts?: readonly string[];
  /**
   * Email addresses alerted. Range: 1 to 10 addresses.
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-limits.html
   */
  readonly notify: readonly string[];
  /**
   * Percentages of the limit at which to alert on actual spend. Range: greater than 0.
   * @default [80]
   */
  readonly actualThresholds?: readonly number[];
  /**
   * Percentages of the limit at which to alert on forecast spend. Range: greater than 0.
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
  /** The budget, an L1: Budgets has no L2. */
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: TagBudgetProps) {
    super(scope, id);
    const actualThresholds = props.actualThresholds ?? DEFAULTS.actualThresholds;
    const forecastThresholds = props.forecastThresholds ?? DEFAULTS.forecastThresholds;
    const checks = new PropChecks(this)
      .check('budgetName', props.budgetName, budgetNameProblem)
      .check('monthlyLimitUsd', props.monthlyLimitUsd, monthlyBudgetProblem);
    actualThresholds.forEach((t, i) => checks.check(`actualThresholds[${i}]`, t, thresholdProblem));
    forecastThresholds.forEach((t, i) =>
      checks.check(`forecastThresholds[${i}]`, t, thresholdProblem),
    );
    if (props.notify.length === 0 || props.notify.length > MAX_BUDGET_SUBSCRIBERS) {
      checks.add(
        'notify',
        `must list 1 to ${MAX_BUDGET_SUBSCRIBERS} email addresses`,
        `${props.notify.length} addresses`,
      );
    }
    (props.linkedAccounts ?? []).forEach((account, i) => {
      if (!Token.isUnresolved(account) && !/^[0-9]{12}$/.test(account))
        checks.add(
          `linkedAccounts[${i}]`,
          'must be a 12-digit AWS account id',
          JSON.stringify(account),
        );
    });
    checks.throwIfAny();
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
        // Different filter keys are ANDed; the values of one key are ORed.
        costFilters: {
          TagKeyValue: [`user:${props.tag.key}$${props.tag.value}`],
          ...(props.linkedAccounts ? { LinkedAccount: [...props.linkedAccounts] } : {}),
        },
      },
      notificationsWithSubscribers: [
        ...actualThresholds.map((t) => alert('ACTUAL', t)),
        ...forecastThresholds.map((t) => alert('FORECASTED', t)),
      ],
    });
  }
}
