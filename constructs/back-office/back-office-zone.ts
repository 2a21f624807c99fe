import { Aws, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { allowCloudWatchLogs } from '../shared/key-policies';
import { CommandWorkflow } from './command-workflow';
import { IsolatedNetwork } from './isolated-network';
import { ISystemOfRecord, LedgerKeys, SystemOfRecord } from './system-of-record';
import { ZoneBackup, ZoneBackupProps } from './zone-backup';
import { ZoneOperations } from './zone-operations';

/** A capability to build in the back office. */
export interface BackOfficeCapability {
  /** The capability's name, e.g. `orders`. */
  readonly name: string;
  /** The keys of its ledger. */
  readonly ledger: LedgerKeys;
  /**
   * What happens to its commands. A capability without a workflow is read-only (no intake queue).
   * @default - read-only
   */
  readonly workflow?: 'record' | 'book-to-bill';
  /**
   * Physical name of its ledger table.
   * @default - a CloudFormation-generated name
   */
  readonly tableName?: string;
  /**
   * Physical names of its intake queue and dead-letter queue (capabilities with a workflow).
   * @default - CloudFormation-generated names
   */
  readonly queueNames?: { readonly intake: string; readonly deadLetters: string };
}

export interface BackOfficeZoneProps {
  /** The systems of record to build, one per capability. More can be added with `addCapability`. */
  readonly capabilities: readonly BackOfficeCapability[];
  /**
   * Description of the zone key, shown in the KMS console.
   * @default 'Office Zones back-office key'
   */
  readonly keyDescription?: string;
  /** @default '10.40.0.0/16' */
  readonly cidr?: string;
  /** @default - daily kept 35 days, monthly kept 365 days, no vault lock */
  readonly backup?: Omit<ZoneBackupProps, 'key'>;
  /**
   * Where IT operations receive alarms.
   * @default - no subscription
   */
  readonly operationsEmail?: string;
  /**
   * Role ARNs (wildcards allowed) the zone key admits besides the zone's own roles and the broker,
   * e.g. a break-glass role of IT operations. Deploying needs none: CloudFormation creates the
   * encrypted resources without encrypting or decrypting anything itself.
   * @default - none
   */
  readonly keyAdmitted?: readonly string[];
}

/**
 * The back-office zone: IT's governed systems of record for book to bill. Nothing in it is
 * reachable from the internet, every record is encrypted with the zone's key and backed up, and
 * only the broker's integration roles and the zone's own workflows are admitted.
 *
 * Default settings:
 * - one customer-managed KMS key, rotation on, retained; its key policy denies encrypt/decrypt to
 *   every principal that is not admitted (AWS services acting for themselves aside);
 * - an isolated network (see `IsolatedNetwork`) with a DynamoDB gateway endpoint and, when a
 *   workflow needs it, an SQS interface endpoint;
 * - per capability a `SystemOfRecord`, and for one that accepts commands a `CommandWorkflow`;
 * - every ledger in an AWS Backup plan (see `ZoneBackup`);
 * - alarms on dead letters, workflow errors, throttling and stale intake, to one operations topic.
 */
export class BackOfficeZone extends Construct {
  readonly key: kms.IKey;
  readonly network: IsolatedNetwork;
  readonly backup: ZoneBackup;
  readonly operations: ZoneOperations;
  readonly workflows = new Map<string, CommandWorkflow>();
  private readonly systems = new Map<string, SystemOfRecord>();
  private readonly dynamoDbEndpoint: ec2.GatewayVpcEndpoint;
  private sqsEndpoint?: ec2.InterfaceVpcEndpoint;
  private readonly keyAdmitted: readonly string[];

  constructor(scope: Construct, id: string, props: BackOfficeZoneProps) {
    super(scope, id);
    this.keyAdmitted = props.keyAdmitted ?? [];

    const key = new kms.Key(this, 'Key', {
      description: props.keyDescription ?? 'Office Zones back-office key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = key;
    this.allowServicesToUseKey(key);

    this.network = new IsolatedNetwork(this, 'Network', { cidr: props.cidr, flowLogKey: key });
    this.dynamoDbEndpoint = this.network.addGatewayEndpoint(
      'DynamoDbEndpoint',
      ec2.GatewayVpcEndpointAwsService.DYNAMODB,
    );
    this.backup = new ZoneBackup(this, 'Backup', { key, ...props.backup });
    this.operations = new ZoneOperations(this, 'Operations', { key, email: props.operationsEmail });

    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUseByPrincipalsNotAdmitted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': Lazy.list({ produce: () => this.admittedPrincipals() }),
          },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );

    for (const capability of props.capabilities) this.addCapability(capability);
  }

  /** Adds a capability: its system of record, its workflow, its backups and its alarms. */
  addCapability(capability: BackOfficeCapability): ISystemOfRecord {
    if (this.systems.has(capability.name)) {
      throw new Error(`the back office already has a capability named ${capability.name}`);
    }
    const id = pascal(capability.name);
    const system = new SystemOfRecord(this, id, {
      capabilityName: capability.name,
      key: this.key,
      ledger: capability.ledger,
      acceptsCommands: capability.workflow !== undefined,
      invoices: capability.workflow === 'book-to-bill',
      tableName: capability.tableName,
      queueNames: capability.queueNames,
      ledgerAdmitted: [this.backup.role.roleArn],
    });
    this.systems.set(capability.name, system);
    // The gateway endpoint reaches this zone's tables and nothing else in DynamoDB.
    this.dynamoDbEndpoint.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ],
        resources: system.tables.map((t) => t.tableArn),
      }),
    );
    this.backup.add(
      `${id}Selection`,
      ...system.tables.map((t) => backup.BackupResource.fromDynamoDbTable(t)),
    );

    if (capability.workflow) {
      this.sqsEndpoint ??= this.network.addInterfaceEndpoint(
        'SqsEndpoint',
        ec2.InterfaceVpcEndpointAwsService.SQS,
      );
      const workflow = new CommandWorkflow(this, `${id}Workflow`, {
        system,
        workflow: capability.workflow,
        network: this.network,
        logKey: this.key,
      });
      this.workflows.set(capability.name, workflow);
      const fn = workflow.function;
      const period = ZoneOperations.PERIOD;
      this.operations.alarmWhen(
        `${id}DeadLetters`,
        `${capability.name}: commands in the dead-letter queue (refused or failed three times)`,
        system.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: 'Maximum',
        }),
      );
      this.operations.alarmWhen(
        `${id}WorkflowErrors`,
        `${capability.name}: the workflow failed`,
        fn.metricErrors({ period }),
      );
      this.operations.alarmWhen(
        `${id}WorkflowThrottles`,
        `${capability.name}: the workflow was throttled`,
        fn.metricThrottles({ period }),
      );
      this.operations.alarmWhen(
        `${id}IntakeAge`,
        `${capability.name}: a command has waited 15 minutes or more`,
        system.intakeQueue!.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        Duration.minutes(15).toSeconds(),
      );
    }
    system.tables.forEach((table, i) => {
      this.operations.alarmWhen(
        `${id}${i === 0 ? 'Ledger' : 'Invoices'}Throttles`,
        `${capability.name}: requests to ${i === 0 ? 'the ledger' : 'the invoices ledger'} were throttled`,
        table.metricThrottledRequestsForOperations({
          operations: [
            dynamodb.Operation.GET_ITEM,
            dynamodb.Operation.PUT_ITEM,
            dynamodb.Operation.UPDATE_ITEM,
            dynamodb.Operation.QUERY,
          ],
          period: ZoneOperations.PERIOD,
        }) as cloudwatch.IMetric,
      );
    });
    return system;
  }

  /** The system of record of a capability. */
  capability(name: string): ISystemOfRecord {
    const system = this.systems.get(name);
    if (!system) throw new Error(`the back office has no capability named ${name}`);
    return system;
  }

  get capabilities(): ISystemOfRecord[] {
    return [...this.systems.values()];
  }

  /** Every principal the zone admits: the key policy's exceptions. */
  private admittedPrincipals(): string[] {
    const arns = new Set<string>([...this.keyAdmitted, this.backup.role.roleArn]);
    for (const system of this.systems.values())
      system.admittedPrincipals.forEach((a) => arns.add(a));
    return [...arns];
  }

  /** CloudWatch Logs (flow and function logs) and CloudWatch alarms (to the topic) use the key. */
  private allowServicesToUseKey(key: kms.Key) {
    allowCloudWatchLogs(key);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToNotify',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
}
