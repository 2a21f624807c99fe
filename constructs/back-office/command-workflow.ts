import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';
import type { IsolatedNetwork } from './isolated-network';
import type { SystemOfRecord } from './system-of-record';

export interface CommandWorkflowProps {
  /** The system of record whose intake queue the workflow drains. */
  readonly system: SystemOfRecord;
  /** `record`, or `book-to-bill` (which needs the system's invoices ledger). */
  readonly workflow: 'record' | 'book-to-bill';
  /** The isolated network the function runs in, with the endpoints it needs. */
  readonly network: IsolatedNetwork;
  /** Encrypts the function's logs. */
  readonly logKey: kms.IKey;
  /**
   * Physical name of the function, so alarms in another stack can watch it by name.
   * @default - a CloudFormation-generated name
   */
  readonly functionName?: string;
  /**
   * Messages per invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Invocations at once, so a burst of orders cannot starve the ledger.
   * @default 5
   */
  readonly maxConcurrency?: number;
}

/**
 * The workflow that turns commands into records without a person: a Lambda function in the
 * isolated subnets, fed by the intake queue, with a role that can do exactly its job. See
 * `handlers/workflows.ts` for what it does with a message.
 *
 * Default settings: batches of 10, at most 5 concurrent batches, partial batch failures reported
 * so that only failed messages are retried; no outbound traffic except HTTPS to the zone's
 * VPC endpoints (the subnets have no other route).
 */
export class CommandWorkflow extends Construct {
  readonly function: NodeFunction;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: CommandWorkflowProps) {
    super(scope, id);
    const { system, network } = props;
    const queue = system.intakeQueue;
    const deadLetterQueue = system.deadLetterQueue;
    if (!queue || !deadLetterQueue)
      throw new Error(`capability ${system.capabilityName} has no intake queue for a workflow`);
    if (props.workflow === 'book-to-bill' && !system.invoices) {
      throw new Error(
        `capability ${system.capabilityName} runs book to bill but has no invoices ledger`,
      );
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${system.capabilityName} workflow: HTTPS to the zone endpoints only`,
      allowAllOutbound: false,
    });
    // HTTPS out, and only HTTPS. The isolated subnets have no route anywhere but the zone's VPC
    // endpoints, so this reaches the interface endpoints and, through the gateway endpoint's route,
    // DynamoDB (whose prefix-list id cannot be known at synth without a lookup).
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints',
    );
    network.allowHttpsFrom(this.securityGroup);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${system.capabilityName} workflow`,
    });
    this.function = new NodeFunction(this, 'Function', {
      entry: path.join(__dirname, 'handlers', 'command-processor.ts'),
      functionName: props.functionName,
      description: `${system.capabilityName}: ${props.workflow} workflow of the intake queue`,
      role: this.role,
      vpc: network.vpc,
      securityGroups: [this.securityGroup],
      logKey: props.logKey,
      timeout: Duration.seconds(60),
      environment: {
        WORKFLOW: props.workflow,
        LEDGER_TABLE: system.ledger.tableName,
        ID_FIELD: system.ledgerKeys.partitionKey,
        ...(system.invoices ? { INVOICES_TABLE: system.invoices.tableName } : {}),
        DEAD_LETTER_QUEUE_URL: deadLetterQueue.queueUrl,
      },
    });

    system.grantWorkflow(this.role);
    system.grantRefuse(this.role);
    system.admitWorkflow(this.role);
    this.function.addEventSource(
      new lambdaEvents.SqsEventSource(queue, {
        batchSize: props.batchSize ?? 10,
        maxConcurrency: props.maxConcurrency ?? 5,
        reportBatchItemFailures: true,
      }),
    );
  }
}
