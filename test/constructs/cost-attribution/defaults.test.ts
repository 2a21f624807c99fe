import { COST_ATTRIBUTION_DEFAULTS as D } from '../../../constructs/cost-attribution/defaults';
import {
  flatten,
  readmeDefaults,
  readmeSection,
  tsdocDefault,
  tsdocOf,
} from '../../support/defaults-docs';

const BUDGET = 'constructs/cost-attribution/budget.ts';
const CATEGORY = 'constructs/cost-attribution/cost-category.ts';
const ACTIVATION = 'constructs/cost-attribution/tag-activation.ts';

describe('COST_ATTRIBUTION_DEFAULTS', () => {
  test("the README's table lists every default with its value", () => {
    expect(readmeDefaults('COST_ATTRIBUTION_DEFAULTS')).toEqual(flatten(D));
  });

  test.each([
    [BUDGET, 'TagBudgetProps', 'actualThresholds', `[${D.tagBudget.actualThresholds.join(', ')}]`],
    [
      BUDGET,
      'TagBudgetProps',
      'forecastThresholds',
      `[${D.tagBudget.forecastThresholds.join(', ')}]`,
    ],
    [CATEGORY, 'TagCostCategoryProps', 'defaultValue', `'${D.tagCostCategory.defaultValue}'`],
    [
      ACTIVATION,
      'CostAllocationTagActivationProps',
      'retryEvery',
      `Duration.days(${D.tagActivation.retryEveryDays})`,
    ],
  ])('%s %s.%s says @default %s', (file, iface, prop, expected) => {
    expect(tsdocDefault(file, iface, prop)).toBe(expected);
  });

  test('the constructs\' "Default settings" and the README say the same', () => {
    const alerts = `${D.tagBudget.actualThresholds[0]}% of actual and ${D.tagBudget.forecastThresholds[0]}% of forecast spend`;
    expect(tsdocOf(BUDGET, 'TagBudget')).toContain(alerts);
    expect(tsdocOf(CATEGORY, 'TagCostCategory')).toContain(
      `everything else \`${D.tagCostCategory.defaultValue}\``,
    );
    expect(readmeSection('Front office: self-service products')).toContain(alerts);
  });
});
