import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { allowCloudWatchLogs } from '../shared/key-policies';
import { BackOfficeAlarms } from './back-office-alarms';
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
  /**
   * Physical name of its workflow function (capabilities with a workflow), so alarms in another
   * stack can watch it by name.
   * @default - a CloudFormation-generated name
   */
  readonly workflowFunctionName?: string;
}

export interface BackOfficeZoneProps {
  /** The systems of record to build, one per capability. More can be added with `addCapability`. */
  readonly capabilities: readonly BackOfficeCapability[];
  /**
   * Description of the zone key, shown in the KMS console.
   * @default 'Office Zones back-office key'
   */
  readonly keyDescription?: string;
  /**
   * The isolated network's range, a /16.
   * @default '10.40.0.0/16'
   */
  readonly cidr?: string;
  /**
   * The backup plan's retention and vault lock.
   * @default - daily kept 35 days, monthly kept 365 days, no vault lock
   */
  readonly backup?: Omit<ZoneBackupProps, 'encryptionKey'>;
  /**
   * Where IT operations receive alarms.
   * @default - no subscription
   */
  readonly operationsEmail?: string;
  /**
   * Whether the zone builds its capabilities' alarms (`alarms`). Without them, build a
   * `BackOfficeAlarms` on `operations.topic` yourself, e.g. in a stack of its own that watches the
   * capabilities by name, so that the zone's stack keeps room for capabilities (the back-office
   * stack of a blueprint does this: its alarms are in the back-office operations stack).
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * Role ARNs (wildcards allowed) the zone key admits past its explicit deny besides the zone's own
   * roles and the broker, e.g. a break-glass role of IT operations. More can be added with `admit`.
   * @default - none
   */
  readonly admittedPrincipalArns?: readonly string[];
  /**
   * The role that creates and updates the zone's resources: with CDK, the bootstrap's
   * CloudFormation execution role, `arn:<partition>:iam::<account>:role/cdk-<qualifier>-cfn-exec-role-<account>-<region>`.
   * The zone key admits it for exactly what creating its encrypted resources needs
   * (`DEPLOYMENT_KEY_USE`): `kms:Decrypt` and `kms:GenerateDataKey`, and only through AWS Backup
   * (creating the vault) and DynamoDB (creating the ledgers). Nothing else it may do with the key.
   * @default - none: the key denies every principal it does not admit, so creating the vault fails
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html
   * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
   */
  readonly deploymentRoleArn?: string;
}

/** Options of a role the zone builds for people (`addMaintainerRole`, `addOperatorRole`). */
export interface ZoneRoleOptions {
  /** Who may assume the role, e.g. an `AccountPrincipal` or an `ArnPrincipal` of a role. */
  readonly assumedBy: iam.IPrincipal;
  /**
   * Physical name of the role; other stacks and the access checks know it by this name.
   * @default - a CloudFormation-generated name
   */
  readonly roleName?: string;
}

/** The key operations the zone's encrypted resources are used with; the key denies them to principals it does not admit. */
export const KEY_USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * What the deploying role may do with the zone key, and through which services: AWS Backup needs
 * `kms:Decrypt` and `kms:GenerateDataKey` from whoever creates a vault with a customer-managed key;
 * DynamoDB creates a ledger with the caller's access to its key. `viaServices` are service prefixes
 * (`backup` stands for `backup.<region>.amazonaws.com`, the `kms:ViaService` value).
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export const DEPLOYMENT_KEY_USE = {
  actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
  /** `KEY_USE` actions outside `actions`: always denied to the deploying role. */
  deniedActions: [
    'kms:Encrypt',
    'kms:ReEncrypt*',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:GenerateDataKeyPair*',
  ],
  viaServices: ['backup', 'dynamodb'],
} as const;

/**
 * The back-office zone: IT's governed systems of record for book to bill. Nothing in it is
 * reachable from the internet, every record is encrypted with the zone's key and backed up, and
 * only the broker's integration roles and the zone's own workflows are admitted.
 *
 * Default settings:
 * - one customer-managed KMS key, rotation on, retained; its key policy denies encrypt/decrypt to
 *   every principal that is not admitted (AWS services acting for themselves aside), and admits the
 *   deploying role (`deploymentRoleArn`) only for `DEPLOYMENT_KEY_USE`;
 * - an isolated network (see `IsolatedNetwork`) with a DynamoDB gateway endpoint and, when a
 *   workflow needs it, an SQS interface endpoint;
 * - per capability a `SystemOfRecord`, and for one that accepts commands a `CommandWorkflow`;
 * - every ledger in an AWS Backup plan (see `ZoneBackup`);
 * - one operations topic that CloudWatch alarms of the account may publish to, and alarms on dead
 *   letters, workflow errors, throttling and stale intake that notify it (see `BackOfficeAlarms`;
 *   `alarms: false` leaves them to the caller);
 * - roles for people only when asked: a maintainer per capability (`addMaintainerRole`) and an
 *   operator (`addOperatorRole`).
 */
export class BackOfficeZone extends Construct {
  /** The zone key: encrypts the ledgers, queues, topic and backups. */
  readonly key: kms.IKey;
  /** The isolated network the workflows run in (no internet route). */
  readonly network: IsolatedNetwork;
  /** The zone's backup vault and plan. */
  readonly backup: ZoneBackup;
  /** The zone's operations topic. */
  readonly operations: ZoneOperations;
  /** The capabilities' alarms; undefined when the zone was built with `alarms: false`. */
  readonly alarms?: BackOfficeAlarms;
  /** The capabilities' workflows, by capability name. */
  get workflows(): ReadonlyMap<string, CommandWorkflow> {
    return this.workflowsByCapability;
  }
  private readonly workflowsByCapability = new Map<string, CommandWorkflow>();
  private readonly systems = new Map<string, SystemOfRecord>();
  private readonly dynamoDbEndpoint: ec2.GatewayVpcEndpoint;
  private sqsEndpoint?: ec2.InterfaceVpcEndpoint;
  private readonly keyAdmitted: string[];
  private readonly deploymentRoleArn?: string;
  private readonly maintainers = new Map<string, iam.IRole>();
  private operatorRole?: iam.Role;

  constructor(scope: Construct, id: string, props: BackOfficeZoneProps) {
    super(scope, id);
    this.keyAdmitted = [...(props.admittedPrincipalArns ?? [])];
    this.deploymentRoleArn = props.deploymentRoleArn;

    const key = new kms.Key(this, 'Key', {
      description: props.keyDescription ?? 'Office Zones back-office key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = key;
    this.allowServicesToUseKey(key);

    this.network = new IsolatedNetwork(this, 'Network', { cidr: props.cidr, encryptionKey: key });
    this.dynamoDbEndpoint = this.network.addGatewayEndpoint(
      'DynamoDbEndpoint',
      ec2.GatewayVpcEndpointAwsService.DYNAMODB,
    );
    this.backup = new ZoneBackup(this, 'Backup', { encryptionKey: key, ...props.backup });
    this.operations = new ZoneOperations(this, 'Operations', {
      encryptionKey: key,
      email: props.operationsEmail,
    });
    if (props.alarms ?? true) {
      this.alarms = new BackOfficeAlarms(this, 'Alarms', { topic: this.operations.topic });
    }

    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUseByPrincipalsNotAdmitted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: KEY_USE,
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': Lazy.list({
              produce: () => [
                ...this.admittedPrincipalArns(),
                ...(this.deploymentRoleArn ? [this.deploymentRoleArn] : []),
              ],
            }),
          },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    if (this.deploymentRoleArn) this.limitDeploymentRole(key, this.deploymentRoleArn);

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
      encryptionKey: this.key,
      ledger: capability.ledger,
      acceptsCommands: capability.workflow !== undefined,
      invoices: capability.workflow === 'book-to-bill',
      tableName: capability.tableName,
      queueNames: capability.queueNames,
      admittedPrincipalArns: [this.backup.role.roleArn],
    });
    this.systems.set(capability.name, system);
    if (this.operatorRole) {
      system.grantOperate(this.operatorRole);
      if (system.deadLetterQueue) system.admit(this.operatorRole.roleArn, 'operate');
    }
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
        encryptionKey: this.key,
        functionName: capability.workflowFunctionName,
      });
      this.workflowsByCapability.set(capability.name, workflow);
    }
    this.alarms?.addCapability({
      capabilityName: capability.name,
      ledgers: system.tables,
      intakeQueue: system.intakeQueue,
      deadLetterQueue: system.deadLetterQueue,
      workflowFunctionName: this.workflows.get(capability.name)?.function.functionName,
    });
    return system;
  }

  /** The system of record of a capability. */
  capability(name: string): ISystemOfRecord {
    const system = this.systems.get(name);
    if (!system) throw new Error(`the back office has no capability named ${name}`);
    return system;
  }

  get capabilities(): readonly ISystemOfRecord[] {
    return [...this.systems.values()];
  }

  /** Admits a principal (by ARN, wildcards allowed) past the zone key's explicit deny. */
  admit(arn: string): void {
    this.keyAdmitted.push(arn);
  }

  /**
   * A role that maintains one capability's records outside the order flow (e.g. the catalogue's
   * items): it may read and write the capability's ledgers (`grantMaintain`), and the ledgers'
   * policies and the zone key admit it. A capability has at most one.
   */
  addMaintainerRole(capability: string, options: ZoneRoleOptions): iam.IRole {
    const system = this.systems.get(capability);
    if (!system) throw new Error(`the back office has no capability named ${capability}`);
    if (this.maintainers.has(capability)) {
      throw new Error(`capability ${capability} already has a maintainer role`);
    }
    const role = new iam.Role(this, `${pascal(capability)}Maintainer`, {
      roleName: options.roleName,
      assumedBy: options.assumedBy,
      description: `Maintains the records of ${capability} outside the order flow`,
    });
    system.grantMaintain(role);
    system.admit(role.roleArn, 'maintain');
    this.maintainers.set(capability, role);
    return role;
  }

  /**
   * The zone's operator role: it may read every dead-letter queue and redrive its messages to the
   * capability's intake queue (`grantOperate`), and the queue policies and the zone key admit it.
   * Capabilities added later are covered too. The zone has at most one.
   */
  addOperatorRole(options: ZoneRoleOptions): iam.IRole {
    if (this.operatorRole) throw new Error('the back office already has an operator role');
    const role = new iam.Role(this, 'Operator', {
      roleName: options.roleName,
      assumedBy: options.assumedBy,
      description: 'Operates the back office: reads and redrives the dead-letter queues',
    });
    this.operatorRole = role;
    for (const system of this.systems.values()) {
      system.grantOperate(role);
      if (system.deadLetterQueue) system.admit(role.roleArn, 'operate');
    }
    return role;
  }

  /** The maintainer role of each capability that has one. */
  get maintainerRoles(): ReadonlyMap<string, iam.IRole> {
    return this.maintainers;
  }

  /** The operator role, if the zone has one. */
  get operator(): iam.IRole | undefined {
    return this.operatorRole;
  }

  /** Every principal the zone key admits past its explicit deny (the deploying role aside). */
  admittedPrincipalArns(): string[] {
    const arns = new Set<string>([...this.keyAdmitted, this.backup.role.roleArn]);
    for (const system of this.systems.values())
      system.admittedPrincipalArns.forEach((a) => arns.add(a));
    return [...arns];
  }

  /**
   * The deploying role passes the deny above; these denies keep it to `DEPLOYMENT_KEY_USE`: the
   * other key operations always, the admitted ones unless a service it creates a resource with
   * makes the request on its behalf (`kms:ViaService`).
   */
  private limitDeploymentRole(key: kms.Key, roleArn: string) {
    const stack = Stack.of(this);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeploymentRoleOtherKeyUse',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...DEPLOYMENT_KEY_USE.deniedActions],
        resources: ['*'],
        conditions: { ArnLike: { 'aws:PrincipalArn': roleArn } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeploymentRoleKeyUseOutsideCreates',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...DEPLOYMENT_KEY_USE.actions],
        resources: ['*'],
        conditions: {
          ArnLike: { 'aws:PrincipalArn': roleArn },
          StringNotEquals: {
            'kms:ViaService': DEPLOYMENT_KEY_USE.viaServices.map(
              (service) => `${service}.${stack.region}.${stack.urlSuffix}`,
            ),
          },
        },
      }),
    );
  }

  /** CloudWatch Logs (flow and function logs) use the key; the operations topic adds CloudWatch alarms. */
  private allowServicesToUseKey(key: kms.Key) {
    allowCloudWatchLogs(key);
  }
}
