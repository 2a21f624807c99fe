import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
  /** The zone's customer-managed key; encrypts the ledgers and the queues. */
  readonly key: kms.IKey;
  /** The keys of the ledger table. */
  readonly ledger: LedgerKeys;
  /**
   * Whether the capability accepts commands. A capability that does gets an intake queue with a
   * dead-letter queue; a read-only one (a catalogue) gets none.
   */
  readonly acceptsCommands: boolean;
  /**
   * Also keep an invoices ledger (partition key `invoiceId`), for a book-to-bill workflow.
   * @default false
   */
  readonly invoices?: boolean;
  /**
   * Physical name of the ledger table; the invoices table gets the same name with `-invoices`.
   * A named table cannot be replaced silently: a change that needs a new table fails instead.
   * @default - a CloudFormation-generated name
   */
  readonly tableName?: string;
  /**
   * How many times a message is received before it goes to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Principals (role ARNs, wildcards allowed) that pass the ledgers' explicit denies besides the
   * workflow, the readers and the maintainers, e.g. the AWS Backup role that backs them up.
   * @default - none
   */
  readonly admittedPrincipalArns?: readonly string[];
}

/**
 * What an admitted principal may do past a system of record's explicit denies:
 * - `submit`: send commands to the intake queue (the broker);
 * - `read`: read the ledger (the broker);
 * - `maintain`: read and write the ledgers (the capability's maintainer role);
 * - `operate`: read the dead-letter queue and move its messages back to the intake queue (the
 *   back office's operator role).
 */
export type SystemOfRecordAccess = 'submit' | 'read' | 'maintain' | 'operate';

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
  /**
   * Admits a role (by ARN; it may live in another stack, like the broker's integration role) into
   * the resource policies for one kind of access. Without it the explicit denies keep it out
   * whatever its own policy says.
   */
  admit(roleArn: string, access: SystemOfRecordAccess): void;
}

/** Data-plane actions the resource policies keep for admitted principals. */
const QUEUE_SEND = ['sqs:SendMessage'];
const QUEUE_CONSUME = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:PurgeQueue',
];
/**
 * Reading a dead-letter queue and redriving it with SQS's message move task: the move task needs
 * `sqs:StartMessageMoveTask`, `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes`
 * on the dead-letter queue and `sqs:SendMessage` on the destination (the intake queue); listing and
 * cancelling tasks need the same on the dead-letter queue.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
const DEAD_LETTER_REDRIVE = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:StartMessageMoveTask',
  'sqs:ListMessageMoveTasks',
  'sqs:CancelMessageMoveTask',
];
const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PartiQLSelect',
];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * One back-office capability's system of record: a ledger table (and an invoices ledger for book
 * to bill) and, when it accepts commands, an intake queue with a dead-letter queue. Everything is
 * encrypted with the zone's key and survives the stack, and resource policies deny every principal
 * that was not admitted: the broker's integration role for this capability, the capability's own
 * workflow role, and nobody else.
 *
 * Default settings:
 * - ledgers: DynamoDB on demand, the zone's customer-managed key, point-in-time recovery,
 *   deletion protection, `RemovalPolicy.RETAIN`, TLS only, data-plane access only for admitted
 *   principals;
 * - intake queue: the zone key, TLS only, 4-day retention, 5-minute visibility timeout; a message
 *   goes to the dead-letter queue (14-day retention) after 3 failed receives; only admitted
 *   submitters (and operators, for a redrive) may send, and only the workflow may receive;
 * - dead-letter queue: only the workflow may send (a refused command), only admitted operators may
 *   read it and move its messages back (`grantOperate`);
 * - ledgers admit their maintainers (`grantMaintain`) for reads and writes.
 */
export class SystemOfRecord extends Construct implements ISystemOfRecord {
  readonly capabilityName: string;
  readonly key: kms.IKey;
  readonly ledger: dynamodb.ITable;
  readonly ledgerKeys: LedgerKeys;
  readonly invoices?: dynamodb.ITable;
  readonly intakeQueue?: sqs.IQueue;
  readonly deadLetterQueue?: sqs.IQueue;
  /** Every stateful resource of the capability, for backup selection and checks. */
  readonly tables: dynamodb.ITable[] = [];
  private readonly submitters: string[] = [];
  private readonly readers: string[] = [];
  private readonly workers: string[] = [];
  private readonly maintainers: string[] = [];
  private readonly operators: string[] = [];
  private readonly ledgerAdmitted: readonly string[];

  constructor(scope: Construct, id: string, props: SystemOfRecordProps) {
    super(scope, id);
    this.capabilityName = props.capabilityName;
    this.key = props.key;
    this.ledgerKeys = props.ledger;
    this.ledgerAdmitted = props.admittedPrincipalArns ?? [];

    this.ledger = this.table('Ledger', props.tableName, props.ledger);
    if (props.invoices) {
      this.invoices = this.table('Invoices', props.tableName && `${props.tableName}-invoices`, {
        partitionKey: 'invoiceId',
      });
    }

    if (props.acceptsCommands) {
      const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.deadLetterQueue = deadLetterQueue;
      const intakeQueue = new sqs.Queue(this, 'IntakeQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(4),
        visibilityTimeout: Duration.minutes(5),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
      });
      this.intakeQueue = intakeQueue;
      // Operators send to the intake queue only through a redrive, but SQS authorises the move
      // task's sends against the caller, so the queue must admit them.
      intakeQueue.addToResourcePolicy(
        this.denyUnless(QUEUE_SEND, [intakeQueue.queueArn], () => [
          ...this.submitters,
          ...this.operators,
        ]),
      );
      intakeQueue.addToResourcePolicy(
        this.denyUnless(QUEUE_CONSUME, [intakeQueue.queueArn], () => this.workers),
      );
      deadLetterQueue.addToResourcePolicy(
        this.denyUnless(QUEUE_SEND, [deadLetterQueue.queueArn], () => this.workers),
      );
      deadLetterQueue.addToResourcePolicy(
        this.denyUnless(
          unique([...QUEUE_CONSUME, ...DEAD_LETTER_REDRIVE]),
          [deadLetterQueue.queueArn],
          () => this.operators,
        ),
      );
    }
  }

  admit(roleArn: string, access: SystemOfRecordAccess): void {
    const lists: Record<SystemOfRecordAccess, string[]> = {
      submit: this.submitters,
      read: this.readers,
      maintain: this.maintainers,
      operate: this.operators,
    };
    lists[access].push(roleArn);
  }

  /** Admits the capability's own workflow: it consumes the intake queue and writes the ledgers. */
  admitWorkflow(role: iam.IRole): void {
    this.workers.push(role.roleArn);
  }

  /** Every principal admitted anywhere in this capability; the zone key admits the same. */
  get admittedPrincipalArns(): string[] {
    return unique([
      ...this.submitters,
      ...this.readers,
      ...this.workers,
      ...this.maintainers,
      ...this.operators,
    ]);
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

  /** Lets the capability's workflow keep its ledgers: read, write once, move a status on. */
  grantWorkflow(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey'], 'dynamodb');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: this.tables.map((t) => t.tableArn),
    });
  }

  /**
   * Lets a maintainer keep the capability's records outside the order flow (the catalogue's items):
   * read, write and delete items of every ledger of the capability, and nothing else. Pair it with
   * `admit(roleArn, 'maintain')`, which lets the role past the ledgers' explicit denies.
   */
  grantMaintain(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey'], 'dynamodb');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      resourceArns: this.tables.map((t) => t.tableArn),
    });
  }

  /**
   * Lets an operator read the dead-letter queue and redrive its messages to the intake queue with
   * SQS's message move task (see `DEAD_LETTER_REDRIVE`), decrypting and re-encrypting them with the
   * zone key through SQS. Pair it with `admit(roleArn, 'operate')`. Undefined for a capability
   * without a dead-letter queue.
   */
  grantOperate(grantee: iam.IGrantable): iam.Grant | undefined {
    if (!this.deadLetterQueue || !this.intakeQueue) return undefined;
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey'], 'sqs');
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
      resourceArns: [this.intakeQueue.queueArn],
    });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...DEAD_LETTER_REDRIVE],
      resourceArns: [this.deadLetterQueue.queueArn],
    });
  }

  /** Lets the workflow put a refused command on the dead-letter queue, with its reason. */
  grantRefuse(grantee: iam.IGrantable): iam.Grant {
    if (!this.deadLetterQueue)
      throw new Error(`capability ${this.capabilityName} has no dead-letter queue`);
    this.grantKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.deadLetterQueue.queueArn],
    });
  }

  private table(id: string, tableName: string | undefined, keys: LedgerKeys): dynamodb.Table {
    const stack = Stack.of(this);
    const resourcePolicy = new iam.PolicyDocument();
    const table = new dynamodb.Table(this, id, {
      tableName,
      partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: keys.sortKey
        ? { name: keys.sortKey, type: dynamodb.AttributeType.STRING }
        : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // A table's policy cannot name the table by reference (that would be circular); a named
      // table is known by its ARN, an unnamed one only as "this table".
      resourcePolicy: tableName ? resourcePolicy : undefined,
    });
    if (tableName) {
      const arn = stack.formatArn({
        service: 'dynamodb',
        resource: 'table',
        resourceName: tableName,
      });
      resourcePolicy.addStatements(
        this.denyUnless(TABLE_READ, [arn], () => [
          ...this.readers,
          ...this.workers,
          ...this.maintainers,
          ...this.ledgerAdmitted,
        ]),
        this.denyUnless(TABLE_WRITE, [arn], () => [
          ...this.workers,
          ...this.maintainers,
          ...this.ledgerAdmitted,
        ]),
        new iam.PolicyStatement({
          sid: 'DenyInsecureTransport',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['dynamodb:*'],
          resources: [arn],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
    this.tables.push(table);
    return table;
  }

  /**
   * An explicit deny of `actions` for every principal except the admitted ones (resolved at synth,
   * so roles admitted later count) and AWS services acting on their own behalf.
   */
  private denyUnless(
    actions: string[],
    resources: string[],
    admitted: () => string[],
  ): iam.PolicyStatement {
    return new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions,
      resources,
      conditions: {
        ArnNotLike: {
          'aws:PrincipalArn': Lazy.list({
            // An empty list is not valid IAM; with nobody admitted, only the account root is.
            produce: () => {
              const arns = unique(admitted());
              return arns.length > 0
                ? arns
                : [Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'root' })];
            },
          }),
        },
        Bool: { 'aws:PrincipalIsAWSService': 'false' },
      },
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

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
