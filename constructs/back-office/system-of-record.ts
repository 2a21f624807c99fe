import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import {
  integerRangeProblem,
  queueNameProblem,
  tableNameProblem,
  type NumberRange,
} from '../shared/prop-rules';
import { BACK_OFFICE_DEFAULTS } from './defaults';

const DEFAULTS = BACK_OFFICE_DEFAULTS.systemOfRecord;
/** How many receives SQS lets a redrive policy allow before a message is dead-lettered. */
const MAX_RECEIVE_COUNT: NumberRange = { min: 1, max: 1000 };

/** The keys of a system-of-record table: string attributes. */
export interface LedgerKeys {
  /** The partition key's attribute name, e.g. `orderId`. */
  readonly partitionKey: string;
  /**
   * The sort key's attribute name.
   * @default - no sort key
   */
  readonly sortKey?: string;
}

export interface SystemOfRecordProps {
  /** The capability's name, e.g. `orders`. */
  readonly capabilityName: string;
  /** The zone's customer-managed key; encrypts the ledgers and the queues. */
  readonly encryptionKey: kms.IKey;
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
   * Range: 3 to 255 letters, digits, `_`, `-` or `.` (246 with an invoices ledger).
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
   * @default - a CloudFormation-generated name
   */
  readonly tableName?: string;
  /**
   * Physical names of the intake queue and its dead-letter queue. A named queue cannot be
   * replaced silently either: a change that needs a new queue fails instead, so whoever sends to
   * it by name (the broker) keeps reaching it. Range: 1 to 80 letters, digits, `_` or `-`.
   * @default - CloudFormation-generated names
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html
   */
  readonly queueNames?: { readonly intake: string; readonly deadLetters: string };
  /**
   * How many times a message is received before it goes to the dead-letter queue. Range: 1 to
   * 1,000.
   * @default 3
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
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
  /** The capability's name, e.g. `orders`. */
  readonly capabilityName: string;
  /** The zone key that encrypts the ledgers and the queues. */
  readonly encryptionKey: kms.IKey;
  /** The ledger table. */
  readonly ledger: dynamodb.ITable;
  /** The keys of the ledger table. */
  readonly ledgerKeys: LedgerKeys;
  /** The queue the broker submits commands to; undefined for a read-only capability. */
  readonly intakeQueue?: sqs.IQueue;
  /**
   * What a request names the ledger by (`TableName`) when that is not its name: its ARN, for a
   * ledger in another account.
   * @default - the ledger's name
   */
  readonly ledgerTableReference?: string;
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

/** What identifies a system of record that another stack built, by name. */
export interface SystemOfRecordAttributes {
  /** The capability's name, e.g. `orders`. */
  readonly capabilityName: string;
  /** The ARN of the zone key that encrypts the ledgers and the queues. */
  readonly keyArn: string;
  /** The physical name of the ledger table. */
  readonly ledgerTableName: string;
  /** The keys of the ledger table. */
  readonly ledgerKeys: LedgerKeys;
  /**
   * The physical name of the intake queue.
   * @default - none: a read-only capability
   */
  readonly intakeQueueName?: string;
  /**
   * The account the system of record is in, when it is not the importing stack's (the back
   * office's account, imported by the broker in the integration account). Its queue's ARN and
   * URL and its ledger's ARN are formatted in that account, and the ledger is named by its ARN in
   * requests (`ledgerTableReference`), as DynamoDB needs for a table in another account.
   * @default - the importing stack's account
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html
   */
  readonly account?: string;
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
 *   deletion protection, `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation
 *   `RetainExceptOnCreate`: kept on update and delete, removed when the deploy that created it
 *   fails), TLS only, data-plane access only for admitted principals;
 * - intake queue: the zone key, TLS only, 4-day retention, 5-minute visibility timeout; a message
 *   goes to the dead-letter queue (14-day retention) after 3 failed receives; only admitted
 *   submitters (and operators, for a redrive) may send, and only the workflow may receive;
 * - dead-letter queue: only the workflow may send (a refused command), only admitted operators may
 *   read it and move its messages back (`grantOperate`);
 * - ledgers admit their maintainers (`grantMaintain`) for reads and writes.
 */
export class SystemOfRecord extends Construct implements ISystemOfRecord {
  /**
   * A system of record of another stack, by the names it was built with: its ARNs and URLs are
   * formatted from the names, in the importing stack, so no cross-stack reference has to be
   * resolved when the importing stack deploys (only the key's ARN, which names cannot give).
   * Grants work as on the original; `admit` does not, because the resource policies belong to
   * the stack that built them.
   */
  static fromSystemOfRecordAttributes(
    scope: Construct,
    id: string,
    attrs: SystemOfRecordAttributes,
  ): ISystemOfRecord {
    return new ImportedSystemOfRecord(scope, id, attrs);
  }

  /** The capability's name, e.g. `orders`. */
  readonly capabilityName: string;
  /** The zone key that encrypts the ledgers and the queues. */
  readonly encryptionKey: kms.IKey;
  /** The ledger table. */
  readonly ledger: dynamodb.ITable;
  /** The keys of the ledger table. */
  readonly ledgerKeys: LedgerKeys;
  /** The invoices ledger (book to bill), if the capability keeps one. */
  readonly invoices?: dynamodb.ITable;
  /** The queue the broker submits commands to; undefined for a read-only capability. */
  readonly intakeQueue?: sqs.IQueue;
  /** Where the intake queue's failed and refused messages go; undefined for a read-only capability. */
  readonly deadLetterQueue?: sqs.IQueue;
  private readonly ledgers: dynamodb.ITable[] = [];
  private readonly submitters: string[] = [];
  private readonly readers: string[] = [];
  private readonly workers: string[] = [];
  private readonly maintainers: string[] = [];
  private readonly operators: string[] = [];
  private readonly admittedByProps: readonly string[];

  constructor(scope: Construct, id: string, props: SystemOfRecordProps) {
    super(scope, id);
    this.capabilityName = props.capabilityName;
    this.encryptionKey = props.encryptionKey;
    new PropChecks(this)
      .check('maxReceiveCount', props.maxReceiveCount, (n) =>
        integerRangeProblem(n, MAX_RECEIVE_COUNT, 'receives'),
      )
      .check('tableName', props.tableName, tableNameProblem)
      .check('queueNames.intake', props.queueNames?.intake, queueNameProblem)
      .check('queueNames.deadLetters', props.queueNames?.deadLetters, queueNameProblem)
      .throwIfAny();
    this.ledgerKeys = props.ledger;
    this.admittedByProps = props.admittedPrincipalArns ?? [];

    this.ledger = this.table('Ledger', props.tableName, props.ledger);
    if (props.invoices) {
      this.invoices = this.table('Invoices', props.tableName && `${props.tableName}-invoices`, {
        partitionKey: 'invoiceId',
      });
    }

    if (props.acceptsCommands) {
      const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
        queueName: props.queueNames?.deadLetters,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(DEFAULTS.deadLetterRetentionDays),
      });
      this.deadLetterQueue = deadLetterQueue;
      const intakeQueue = new sqs.Queue(this, 'IntakeQueue', {
        queueName: props.queueNames?.intake,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(DEFAULTS.intakeRetentionDays),
        visibilityTimeout: Duration.minutes(DEFAULTS.visibilityTimeoutMinutes),
        deadLetterQueue: {
          queue: deadLetterQueue,
          maxReceiveCount: props.maxReceiveCount ?? DEFAULTS.maxReceiveCount,
        },
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
    const account = accountOfRoleArn(roleArn);
    const own = Stack.of(this).account;
    if (account !== undefined && !Token.isUnresolved(own) && account !== own)
      this.allowFromAccount(roleArn, account, access);
  }

  /**
   * A role of another account needs more than passing the denies: its own account's grant counts
   * only when the resource's policy allows it too. The resource policies and the zone key allow it
   * by its account and ARN (an account principal with `aws:PrincipalArn`, as KMS and SQS accept a
   * role that does not exist yet; the broker deploys after the back office), for exactly the
   * actions its grant names.
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
   */
  private allowFromAccount(roleArn: string, account: string, access: SystemOfRecordAccess) {
    const stack = Stack.of(this);
    const allow = (sid: string, actions: string[], resources: string[], via?: string) =>
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.ALLOW,
        principals: [new iam.AccountPrincipal(account)],
        actions,
        resources,
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': roleArn },
          ...(via
            ? { StringEquals: { 'kms:ViaService': `${via}.${stack.region}.${stack.urlSuffix}` } }
            : {}),
        },
      });
    const id = `${access[0].toUpperCase()}${access.slice(1)}${this.crossAccountAdmitted++}`;
    if (access === 'submit' && this.intakeQueue) {
      this.intakeQueue.addToResourcePolicy(
        allow(`AllowCrossAccount${id}`, ['sqs:SendMessage'], [this.intakeQueue.queueArn]),
      );
      this.encryptionKey.addToResourcePolicy(
        allow(
          `AllowCrossAccount${pascalId(this.capabilityName)}${id}`,
          ['kms:GenerateDataKey', 'kms:Decrypt'],
          ['*'],
          'sqs',
        ),
      );
    } else if (access === 'read') {
      // A table's policy names the table by its name, never by a reference to itself (circular).
      const ledger = this.tablePolicies.get(this.ledger);
      if (!ledger)
        throw new Error(
          `${this.node.path}: read access from another account (${account}) needs a named ledger (tableName): its resource policy names it`,
        );
      ledger.policy.addStatements(
        allow(
          `AllowCrossAccount${id}`,
          ['dynamodb:GetItem', 'dynamodb:Query'],
          [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: ledger.name })],
        ),
      );
      this.encryptionKey.addToResourcePolicy(
        allow(
          `AllowCrossAccount${pascalId(this.capabilityName)}${id}`,
          ['kms:Decrypt'],
          ['*'],
          'dynamodb',
        ),
      );
    } else {
      throw new Error(
        `${this.node.path}: ${access} access from another account (${account}) is not supported: only the broker's submit and read cross accounts`,
      );
    }
  }
  private crossAccountAdmitted = 0;
  private readonly tablePolicies = new Map<
    dynamodb.ITable,
    { readonly policy: iam.PolicyDocument; readonly name: string }
  >();

  /** Admits the capability's own workflow: it consumes the intake queue and writes the ledgers. */
  admitWorkflow(role: iam.IRole): void {
    this.workers.push(role.roleArn);
  }

  /** Every stateful resource of the capability (the ledgers), for backup selection and checks. */
  get tables(): readonly dynamodb.ITable[] {
    return this.ledgers;
  }

  /** Every principal admitted anywhere in this capability; the zone key admits the same. */
  get admittedPrincipalArns(): readonly string[] {
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
      encryptionKey: this.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Kept on update and delete; removed only when the deploy that created it fails, so a
      // failed first deploy can be retried under the same name (CloudFormation RetainExceptOnCreate).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
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
          ...this.admittedByProps,
        ]),
        this.denyUnless(TABLE_WRITE, [arn], () => [
          ...this.workers,
          ...this.maintainers,
          ...this.admittedByProps,
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
    this.ledgers.push(table);
    if (tableName) this.tablePolicies.set(table, { policy: resourcePolicy, name: tableName });
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
    grantKey(this, grantee, actions, service);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

class ImportedSystemOfRecord extends Construct implements ISystemOfRecord {
  readonly ledgerTableReference?: string;
  readonly capabilityName: string;
  readonly encryptionKey: kms.IKey;
  readonly ledger: dynamodb.ITable;
  readonly ledgerKeys: LedgerKeys;
  readonly intakeQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, attrs: SystemOfRecordAttributes) {
    super(scope, id);
    const stack = Stack.of(this);
    this.capabilityName = attrs.capabilityName;
    this.ledgerKeys = attrs.ledgerKeys;
    this.encryptionKey = kms.Key.fromKeyArn(this, 'Key', attrs.keyArn);
    const account = attrs.account;
    this.ledger = dynamodb.Table.fromTableAttributes(this, 'Ledger', {
      ...(account
        ? {
            tableArn: stack.formatArn({
              service: 'dynamodb',
              account,
              resource: 'table',
              resourceName: attrs.ledgerTableName,
            }),
          }
        : { tableName: attrs.ledgerTableName }),
      encryptionKey: this.encryptionKey,
    });
    if (account) this.ledgerTableReference = this.ledger.tableArn;
    if (attrs.intakeQueueName) {
      this.intakeQueue = sqs.Queue.fromQueueAttributes(this, 'IntakeQueue', {
        queueName: attrs.intakeQueueName,
        queueArn: stack.formatArn({ service: 'sqs', account, resource: attrs.intakeQueueName }),
        keyArn: attrs.keyArn,
      });
    }
  }

  grantSubmit(grantee: iam.IGrantable): iam.Grant {
    if (!this.intakeQueue) {
      throw new Error(
        `capability ${this.capabilityName} is read-only: it has no intake queue to submit to`,
      );
    }
    grantKey(this, grantee, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.intakeQueue.queueArn],
    });
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    grantKey(this, grantee, ['kms:Decrypt'], 'dynamodb');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resourceArns: [this.ledger.tableArn],
    });
  }

  admit(): void {
    throw new Error(
      `capability ${this.capabilityName} was imported: admit principals in the stack that built it`,
    );
  }
}

/** Lets the grantee use a system's key, only through the service that encrypts with it. */
function grantKey(
  system: ISystemOfRecord,
  grantee: iam.IGrantable,
  actions: string[],
  service: string,
) {
  const stack = Stack.of(system);
  iam.Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [system.encryptionKey.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` },
    },
  });
}

/** The account of a role ARN whose account is literal (`arn:<partition>:iam::<account>:role/...`). */
function accountOfRoleArn(arn: string): string | undefined {
  return /^arn:[^:]+:iam::([0-9]{12}):/.exec(arn)?.[1];
}

/** `orders` -> `Orders`, `order-lines` -> `OrderLines`: a Sid may hold letters and digits only. */
function pascalId(name: string): string {
  return name.replace(/(?:^|-)([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
