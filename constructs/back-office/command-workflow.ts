import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PropChecks } from '../shared/check-props';
import { NodeFunction } from '../shared/node-function';
import { integerRangeProblem, type NumberRange } from '../shared/prop-rules';
import { BACK_OFFICE_DEFAULTS } from './defaults';
import type { IsolatedNetwork } from './isolated-network';
import type { SystemOfRecord } from './system-of-record';

const DEFAULTS = BACK_OFFICE_DEFAULTS.commandWorkflow;
/** Messages per batch from a standard queue without a batching window. */
const SQS_BATCH_SIZE: NumberRange = { min: 1, max: 10 };
/** Concurrent invocations an SQS event source may be limited to. */
const SQS_MAX_CONCURRENCY: NumberRange = { min: 2, max: 1000 };

export interface CommandWorkflowProps {
  /** The system of record whose intake queue the workflow drains. */
  readonly system: SystemOfRecord;
  /** `record`, or `book-to-bill` (which needs the system's invoices ledger). */
  readonly workflow: 'record' | 'book-to-bill';
  /** The isolated network the function runs in, with the endpoints it needs. */
  readonly network: IsolatedNetwork;
  /** Encrypts the function's logs. Its key policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * Physical name of the function, so alarms in another stack can watch it by name.
   * @default - a CloudFormation-generated name
   */
  readonly functionName?: string;
  /**
   * Messages per invocation. Range: 1 to 10 (a standard queue without a batching window).
   * @default 10
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   */
  readonly batchSize?: number;
  /**
   * Invocations at once, so a burst of orders cannot starve the ledger. Range: 2 to 1,000.
   * @default 5
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
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
  /** The function that processes the intake queue. */
  readonly function: lambda.IFunction;
  /** The role the function runs as. */
  readonly role: iam.IRole;
  /** The function's security group: HTTPS out to the zone's endpoints only. */
  readonly securityGroup: ec2.ISecurityGroup;

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

    const checks = new PropChecks(this)
      .check('batchSize', props.batchSize, (n) =>
        integerRangeProblem(n, SQS_BATCH_SIZE, 'messages'),
      )
      .check('maxConcurrency', props.maxConcurrency, (n) =>
        integerRangeProblem(n, SQS_MAX_CONCURRENCY, 'invocations'),
      );
    checks.throwIfAny();

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${system.capabilityName} workflow: HTTPS to the zone endpoints only`,
      allowAllOutbound: false,
    });
    // HTTPS out, and only HTTPS. The isolated subnets have no route anywhere but the zone's VPC
    // endpoints, so this reaches the interface endpoints and, through the gateway endpoint's route,
    // DynamoDB (whose prefix-list id cannot be known at synth without a lookup).
    securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints',
    );
    network.allowHttpsFrom(securityGroup);
    this.securityGroup = securityGroup;

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${system.capabilityName} workflow`,
    });
    this.role = role;
    this.function = new NodeFunction(this, 'Function', {
      entry: path.join(__dirname, 'handlers', 'command-processor.ts'),
      functionName: props.functionName,
      description: `${system.capabilityName}: ${props.workflow} workflow of the intake queue`,
      role,
      vpc: network.vpc,
      securityGroups: [securityGroup],
      encryptionKey: props.encryptionKey,
      timeout: Duration.seconds(DEFAULTS.timeoutSeconds),
      environment: {
        WORKFLOW: props.workflow,
        LEDGER_TABLE: system.ledger.tableName,
        ID_FIELD: system.ledgerKeys.partitionKey,
        ...(system.invoices ? { INVOICES_TABLE: system.invoices.tableName } : {}),
        DEAD_LETTER_QUEUE_URL: deadLetterQueue.queueUrl,
      },
    }).function;

    system.grantWorkflow(this.role);
    system.grantRefuse(this.role);
    system.admitWorkflow(this.role);
    this.function.addEventSource(
      new lambdaEvents.SqsEventSource(queue, {
        batchSize: props.batchSize ?? DEFAULTS.batchSize,
        maxConcurrency: props.maxConcurrency ?? DEFAULTS.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
