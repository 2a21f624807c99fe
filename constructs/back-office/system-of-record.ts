import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';

/** The keys of a system-of-record table. */
export interface LedgerKeys {
  readonly partitionKey: string;
  /** @default - no sort key */
  readonly sortKey?: string;
}

export interface SystemOfRecordProps {
  /** The capability's name, e.g. `orders`. */
  readonly capabilityName: string;
  /** The zone's customer-managed key; encrypts the ledger and the queues. */
  readonly key: kms.IKey;
  /** The keys of the ledger table. */
  readonly ledger: LedgerKeys;
  /**
   * Whether the capability accepts commands. A capability that does gets an intake queue with a
   * dead-letter queue; a read-only one (a catalogue) gets none.
   */
  readonly acceptsCommands: boolean;
  /**
   * How many times a message is received before it goes to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * What happens to the ledger when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** What a system of record offers the broker: its resources, and grants scoped to them. */
export interface ISystemOfRecord extends IConstruct {
  readonly capabilityName: string;
  readonly key: kms.IKey;
  readonly ledger: dynamodb.ITable;
  readonly ledgerKeys: LedgerKeys;
  /** Undefined for a read-only capability. */
  readonly intakeQueue?: sqs.IQueue;
  /** Lets the grantee send commands to the intake queue, and nothing else. */
  grantSubmit(grantee: iam.IGrantable): iam.Grant;
  /** Lets the grantee read single records and query by key, and nothing else. */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * One back-office capability's system of record: a ledger table and, when it accepts commands,
 * an intake queue with a dead-letter queue. Everything is encrypted with the zone's key, the
 * queues refuse plain HTTP, and the ledger survives the stack.
 *
 * Default settings:
 * - ledger: DynamoDB on demand, customer-managed KMS key, point-in-time recovery, deletion
 *   protection, `RemovalPolicy.RETAIN`;
 * - intake queue: KMS with the zone key, TLS only, 14-day retention on the dead-letter queue,
 *   a message goes there after 3 failed receives.
 */
export class SystemOfRecord extends Construct implements ISystemOfRecord {
  readonly capabilityName: string;
  readonly key: kms.IKey;
  readonly ledger: dynamodb.ITable;
  readonly ledgerKeys: LedgerKeys;
  readonly intakeQueue?: sqs.IQueue;
  readonly deadLetterQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: SystemOfRecordProps) {
    super(scope, id);
    this.capabilityName = props.capabilityName;
    this.key = props.key;
    this.ledgerKeys = props.ledger;

    const ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: props.ledger.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: props.ledger.sortKey
        ? { name: props.ledger.sortKey, type: dynamodb.AttributeType.STRING }
        : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.ledger = ledger;

    if (props.acceptsCommands) {
      const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.deadLetterQueue = deadLetterQueue;
      this.intakeQueue = new sqs.Queue(this, 'IntakeQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(4),
        visibilityTimeout: Duration.minutes(5),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
      });
    }
  }

  grantSubmit(grantee: iam.IGrantable): iam.Grant {
    const queue = this.intakeQueue;
    if (!queue) {
      throw new Error(
        `capability ${this.capabilityName} is read-only: it has no intake queue to submit to`,
      );
    }
    // SendMessage to a KMS-encrypted queue needs a data key; exact actions keep the grant free of wildcards.
    this.grantKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage'],
      resourceArns: [queue.queueArn],
    });
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt'], 'dynamodb');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resourceArns: [this.ledger.tableArn],
    });
  }

  private grantKey(grantee: iam.IGrantable, actions: string[], service: string) {
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `${service}.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
        },
      },
    });
  }
}
