import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TagBudget } from '../../constructs/cost-attribution/budget';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import type { Blueprint } from '../blueprint';
import { costCentreBudgetName } from '../blueprint/names';

/**
 * One monthly budget per back-office cost centre the blueprint budgets for, on the cost-centre
 * tag, alerting at 80% actual and 100% forecast spend. Each budget is itself attributed to the
 * cost centre it watches.
 */
export function addBackOfficeBudgets(stack: Stack, blueprint: Blueprint): TagBudget[] {
  const budgets = blueprint.backOffice.budgets ?? [];
  if (budgets.length === 0) return [];
  const scope = new Construct(stack, 'CostCentreBudgets');
  const key = blueprint.costTags.costCentre.key;
  return budgets.map((b) => {
    const budget = new TagBudget(scope, b.costCentre, {
      budgetName: costCentreBudgetName(blueprint, b.costCentre),
      monthlyLimitUsd: b.monthlyBudgetUsd,
      tag: { key, value: b.costCentre },
      notify: b.notify ?? [blueprint.backOffice.owner],
    });
    applyCostTags(budget, { [key]: b.costCentre });
    return budget;
  });
}
