import { Aws, CfnOutput, CfnRule, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TagCostCategory } from '../../constructs/cost-attribution/cost-category';
import { CostAllocationTagActivation } from '../../constructs/cost-attribution/tag-activation';
import { acknowledge } from '../../policies/acknowledge';
import { CostManagement, SHARED_PRODUCT_TAGS, ZONE_LABELS, ZONES } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface CostManagementStackProps extends Omit<ZoneStackProps, 'attribution'> {
  readonly costManagement: CostManagement;
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

  constructor(scope: Construct, id: string, props: CostManagementStackProps) {
    const { blueprint, costManagement } = props;
    super(scope, id, {
      description: `Office Zones cost management of ${blueprint.enterprise} (${blueprint.environment}), for the management (payer) account: the zone cost category and cost-allocation tags.`,
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
