import * as path from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';

export interface CostAllocationTagActivationProps {
  /** The tag keys to activate, e.g. the cost-tag contract's. */
  readonly tagKeys: readonly string[];
}

/**
 * Activates tag keys as cost-allocation tags, so that Cost Explorer, Budgets and the cost and usage
 * report can group and filter by them. Deploy it in the management (payer) account. There is no
 * CloudFormation type for this: a custom resource calls `ce:UpdateCostAllocationTagsStatus`
 * through a function of its own (newest Node.js runtime), not a CDK-owned provider.
 *
 * A key becomes activatable only after a resource carries it, and AWS can take up to 24 hours to
 * see it: keys refused at deploy are listed in the `pending` attribute and activated by the next
 * deployment that changes the key list (or by hand in the Billing console).
 *
 * Default settings: the function's role may call only `ce:UpdateCostAllocationTagsStatus` (which
 * has no resource-level permissions) and write its logs; deleting the resource leaves the keys
 * active.
 */
export class CostAllocationTagActivation extends Construct {
  readonly resource: CustomResource;
  readonly handler: NodeFunction;

  constructor(scope: Construct, id: string, props: CostAllocationTagActivationProps) {
    super(scope, id);
    const keys = [...new Set(props.tagKeys)];
    if (keys.length === 0) throw new Error(`${this.node.path}: no tag keys to activate`);
    this.handler = new NodeFunction(this, 'Handler', {
      entry: path.join(__dirname, 'handlers', 'activate-cost-allocation-tags.ts'),
      description: 'Activates cost-allocation tags (Custom::CostAllocationTags)',
      timeout: Duration.minutes(1),
    });
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ce:UpdateCostAllocationTagsStatus'],
        resources: ['*'],
      }),
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.functionArn,
      resourceType: 'Custom::CostAllocationTags',
      properties: { TagKeys: keys },
    });
  }

  /** Keys activated by the last deployment, comma-separated. */
  get activated(): string {
    return this.resource.getAttString('Activated');
  }

  /** Keys AWS did not activate yet (not seen on a resource), comma-separated. */
  get pending(): string {
    return this.resource.getAttString('Pending');
  }
}
