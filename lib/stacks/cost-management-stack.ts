import { Aws, CfnOutput, CfnRule, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TagBudget } from '../../constructs/cost-attribution/budget';
import { TagCostCategory } from '../../constructs/cost-attribution/cost-category';
import { CostAllocationTagActivation } from '../../constructs/cost-attribution/tag-activation';
import { acknowledge } from '../../policies/acknowledge';
import { CostManagement, SHARED_PRODUCT_TAGS, ZONE_LABELS, ZONES } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { ZoneStack, ZoneStackProps } from './zone-stack';

/**
 * One environment's front-office spend, watched from the management account: the sum of its
 * product budgets over its front-office accounts.
 */
export interface FrontOfficeBudget {
  /** The environment, e.g. `prod`. */
  readonly environment: string;
  /** The budget's name, unique in the management account. */
  readonly budgetName: string;
  /** The environment's front-office accounts (the default one and the products' own). */
  readonly accounts: readonly string[];
  /** The monthly limit in US dollars: the sum of the products' `monthlyBudgetUsd`. */
  readonly monthlyLimitUsd: number;
}

export interface CostManagementStackProps extends Omit<ZoneStackProps, 'attribution'> {
  readonly costManagement: CostManagement;
  /**
   * One consolidated budget per environment for the front office, counting the spend tagged to
   * the front office (the contract's zone key) in the environment's front-office accounts. Its
   * resources grow with the environments, never with the products.
   * @default - none (the quick start: the product budgets are in the product stacks)
   */
  readonly frontOfficeBudgets?: readonly FrontOfficeBudget[];
}

/**
 * What finance needs in the management (payer) account: the cost category that splits spend into
 * Front office, Back office and Integration by the zone tag, and the activation of the contract's
 * tag keys as cost-allocation tags. Optional: built only when the blueprint has `costManagement`.
 * Deploy it in us-east-1: a template rule refuses any other region.
 */
export class CostManagementStack extends ZoneStack {
  readonly costCategory: TagCostCategory;
  readonly tagActivation?: CostAllocationTagActivation;
  /** The consolidated front-office budgets, by environment; empty without `frontOfficeBudgets`. */
  readonly frontOfficeBudgets: ReadonlyMap<string, TagBudget>;

  constructor(scope: Construct, id: string, props: CostManagementStackProps) {
    const { blueprint, costManagement } = props;
    super(scope, id, {
      description: `Office Zones cost management of ${blueprint.enterprise} (${blueprint.environments ? blueprint.environments.map((e) => e.name).join(', ') : blueprint.environment}), for the management (payer) account: the zone cost category and cost-allocation tags.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'integration',
        costCentre: blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: SHARED_PRODUCT_TAGS.costManagement,
      },
    });
    // CloudFormation knows the AWS::CE types only where Cost Explorer lives; fail early elsewhere.
    new CfnRule(this, 'CostExplorerRegion', {
      assertions: [
        {
          assert: Fn.conditionContains(['us-east-1', 'cn-northwest-1'], Aws.REGION),
          assertDescription:
            'Deploy the cost-management stack in us-east-1 (cn-northwest-1 in China): Cost Explorer and its CloudFormation types exist only there.',
        },
      ],
    });

    this.costCategory = new TagCostCategory(this, 'ZoneCostCategory', {
      name: costManagement.costCategoryName,
      tagKey: blueprint.costTags.zone.key,
      values: Object.fromEntries(ZONES.map((zone) => [zone, ZONE_LABELS[zone]])),
    });
    new CfnOutput(this, 'CostCategoryArn', { value: this.costCategory.arn });

    const frontOfficeBudgets = new Map<string, TagBudget>();
    if (props.frontOfficeBudgets?.length) {
      const scope = new Construct(this, 'FrontOfficeBudgets');
      for (const budget of props.frontOfficeBudgets) {
        frontOfficeBudgets.set(
          budget.environment,
          new TagBudget(scope, budget.environment, {
            budgetName: budget.budgetName,
            monthlyLimitUsd: budget.monthlyLimitUsd,
            // Budgets' documented tag filter (`user:<key>$<value>`), ANDed with the accounts: an
            // account serves one environment (DEC-035), so the accounts stand for the
            // environment and no second tag (which Budgets would OR) is needed.
            tag: { key: blueprint.costTags.zone.key, value: 'front-office' },
            linkedAccounts: budget.accounts,
            notify: costManagement.notify ?? [blueprint.broker.owner],
          }),
        );
      }
    }
    this.frontOfficeBudgets = frontOfficeBudgets;

    if (costManagement.activateCostAllocationTags) {
      this.tagActivation = new CostAllocationTagActivation(this, 'CostAllocationTags', {
        tagKeys: contractKeys(blueprint),
      });
      acknowledge(this.tagActivation.handler.role!, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ce:UpdateCostAllocationTagsStatus and the X-Ray trace calls have no resource-level permissions in IAM; the role may call nothing else.',
        reference: 'DEC-007',
      });
      new CfnOutput(this, 'PendingCostAllocationTags', {
        value: this.tagActivation.pending,
        description:
          'Tag keys not activated yet: no resource carried them (allow up to 24 h), deploy again',
      });
    }
  }
}
