/**
 * AWS Budgets' and Cost Categories' rules for names and amounts, as pure checks shared by the
 * cost-attribution constructs (which name their path and skip tokens) and the blueprint model.
 * CDK-free: `lib/blueprint` reads it.
 */

/**
 * A budget's name: at most 100 characters, without `:` or `\`.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
 */
export const BUDGET_NAME = /^[^:\\]{1,100}$/;

/**
 * A cost category's name: 1 to 50 letters, digits, spaces, `_` or `-`, not starting or ending
 * with a space.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_CreateCostCategoryDefinition.html
 */
export const COST_CATEGORY_NAME = /^(?! )[\p{L}\p{N}\p{Z}_-]*(?<! )$/u;
/** A cost category name's length, in characters. */
export const COST_CATEGORY_NAME_LENGTH = { min: 1, max: 50 } as const;
export const COST_CATEGORY_NAME_MESSAGE =
  'must be letters, digits, spaces, _ or -, not starting or ending with a space';

/** How many email addresses one budget notification may alert. */
export const MAX_BUDGET_SUBSCRIBERS = 10;

/** Why AWS Budgets would refuse this budget name, or undefined. */
export function budgetNameProblem(name: string): string | undefined {
  return BUDGET_NAME.test(name) ? undefined : 'must be 1 to 100 characters, without : or \\';
}

/** Why AWS would refuse this cost category name, or undefined. */
export function costCategoryNameProblem(name: string): string | undefined {
  const { min, max } = COST_CATEGORY_NAME_LENGTH;
  if (name.length < min || name.length > max) return `must be ${min} to ${max} characters`;
  return COST_CATEGORY_NAME.test(name) ? undefined : COST_CATEGORY_NAME_MESSAGE;
}

/** Why this monthly budget, in US dollars, would alert on nothing, or undefined. */
export function monthlyBudgetProblem(usd: number): string | undefined {
  return Number.isFinite(usd) && usd > 0 ? undefined : 'must be greater than zero';
}

/** Why this alert threshold, a percentage of the budget, would not work, or undefined. */
export function thresholdProblem(percent: number): string | undefined {
  return Number.isFinite(percent) && percent > 0
    ? undefined
    : 'must be a percentage of the budget greater than 0';
}
