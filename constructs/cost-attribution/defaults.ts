/**
 * The cost-attribution constructs' defaults, as data (see `constructs/front-office/defaults.ts`).
 * CDK-free: `lib/blueprint` may read it.
 */
export const COST_ATTRIBUTION_DEFAULTS = {
  /** `TagBudget`. */
  tagBudget: {
    /** Percentages of the limit at which actual spend alerts. */
    actualThresholds: [80],
    /** Percentages of the limit at which forecast spend alerts. */
    forecastThresholds: [100],
  },
  /** `TagCostCategory`. */
  tagCostCategory: {
    /** The category value of spend no rule matches. */
    defaultValue: 'Unattributed',
  },
  /** `CostAllocationTagActivation`. */
  tagActivation: {
    /** How often the keys are activated again, in days. */
    retryEveryDays: 1,
  },
} as const;
