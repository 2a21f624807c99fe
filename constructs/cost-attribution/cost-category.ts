import * as ce from 'aws-cdk-lib/aws-ce';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import { costCategoryNameProblem } from './cost-rules';
import { COST_ATTRIBUTION_DEFAULTS } from './defaults';

export interface TagCostCategoryProps {
  /**
   * The cost category's name, e.g. `Office zone`: 1 to 50 letters, digits, spaces, `_` or `-`, not
   * starting or ending with a space.
   * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_CreateCostCategoryDefinition.html
   */
  readonly name: string;
  /** The cost-allocation tag key whose values decide, e.g. `Zone`. */
  readonly tagKey: string;
  /** Category value by tag value, in rule order, e.g. `{ 'front-office': 'Front office' }`. */
  readonly values: Readonly<Record<string, string>>;
  /**
   * The value of spend that matches no rule.
   * @default 'Unattributed'
   */
  readonly defaultValue?: string;
}

/**
 * An AWS Cost Category that sorts spend by the values of one cost-allocation tag, so that finance
 * sees the split in Cost Explorer, Budgets and the cost and usage report. Create it in the
 * management (payer) account, which sees every account's spend; the tag must be activated there.
 *
 * Default settings: one rule per tag value (exact match), everything else `Unattributed`.
 */
export class TagCostCategory extends Construct {
  /** The cost category, an L1: Cost Explorer has no L2. */
  readonly costCategory: ce.CfnCostCategory;

  constructor(scope: Construct, id: string, props: TagCostCategoryProps) {
    super(scope, id);
    new PropChecks(this).check('name', props.name, costCategoryNameProblem).throwIfAny();
    const rules = Object.entries(props.values).map(([tagValue, categoryValue]) => ({
      Value: categoryValue,
      Rule: { Tags: { Key: props.tagKey, Values: [tagValue], MatchOptions: ['EQUALS'] } },
    }));
    this.costCategory = new ce.CfnCostCategory(this, 'Resource', {
      name: props.name,
      ruleVersion: 'CostCategoryExpression.v1',
      rules: JSON.stringify(rules),
      defaultValue: props.defaultValue ?? COST_ATTRIBUTION_DEFAULTS.tagCostCategory.defaultValue,
    });
  }

  /** The cost category's ARN. */
  get arn(): string {
    return this.costCategory.attrArn;
  }
}
