import * as path from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';
import { COST_ATTRIBUTION_DEFAULTS } from './defaults';

export interface CostAllocationTagActivationProps {
  /**
   * The tag keys to activate, e.g. the cost-tag contract's; at least one.
   * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_UpdateCostAllocationTagsStatus.html
   */
  readonly tagKeys: readonly string[];
  /**
   * How often to activate the keys again, so that keys AWS did not know at deploy time are
   * activated once it does (activating an active key changes nothing).
   * Range: at least one minute (an EventBridge rate).
   * @default Duration.days(1)
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
   */
  readonly retryEvery?: Duration;
}

/**
 * Activates tag keys as cost-allocation tags, so that Cost Explorer, Budgets and the cost and usage
 * report can group and filter by them. Deploy it in the management (payer) account. There is no
 * CloudFormation type for this: a custom resource calls `ce:UpdateCostAllocationTagsStatus`
 * through a function of its own (newest Node.js runtime), not a CDK-owned provider.
 *
 * A key becomes activatable only after a resource carries it, and AWS can take up to 24 hours to
 * see it: keys refused at deploy are listed in the `pending` attribute, and a schedule invokes the
 * function again every day to activate them once AWS knows them.
 *
 * Default settings: the function's role may call only `ce:UpdateCostAllocationTagsStatus` (which
 * has no resource-level permissions) and write its logs; a daily retry; deleting the resource
 * leaves the keys active.
 */
export class CostAllocationTagActivation extends Construct {
  /** The custom resource that activates the keys on deploy. */
  readonly resource: CustomResource;
  /** The function that activates them, on deploy and on schedule. */
  readonly handler: lambda.IFunction;
  /** The schedule that activates them again. */
  readonly retry: events.IRule;

  constructor(scope: Construct, id: string, props: CostAllocationTagActivationProps) {
    super(scope, id);
    const keys = [...new Set(props.tagKeys)];
    if (keys.length === 0) throw new Error(`${this.node.path}: no tag keys to activate`);
    const handler = new NodeFunction(this, 'Handler', {
      entry: path.join(__dirname, 'handlers', 'activate-cost-allocation-tags.ts'),
      description: 'Activates cost-allocation tags (Custom::CostAllocationTags)',
      timeout: Duration.minutes(1),
    }).function;
    this.handler = handler;
    handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ce:UpdateCostAllocationTagsStatus'],
        resources: ['*'],
      }),
    );
    this.retry = new events.Rule(this, 'Retry', {
      description: 'Activates the cost-allocation tag keys AWS did not know yet',
      schedule: events.Schedule.rate(
        props.retryEvery ?? Duration.days(COST_ATTRIBUTION_DEFAULTS.tagActivation.retryEveryDays),
      ),
      targets: [
        new targets.LambdaFunction(this.handler, {
          event: events.RuleTargetInput.fromObject({ TagKeys: keys }),
          retryAttempts: 2,
        }),
      ],
    });
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
