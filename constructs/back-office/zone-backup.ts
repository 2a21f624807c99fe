import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ZoneBackupProps {
  /** Encrypts the vault. */
  readonly key: kms.IKey;
  /**
   * Name of the backup plan, unique in the account and region (1 to 50 letters, digits, `-`, `_`
   * or `.`).
   * @default - a name unique to this construct's path, the stack's name included
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html
   */
  readonly planName?: string;
  /**
   * Principals (role ARNs, wildcards allowed) that may change or delete the vault, its access
   * policy and its lock: the role that deploys the stack (the CDK bootstrap's CloudFormation
   * execution role), which updates the policy and removes the vault of a failed first deploy.
   * Everyone else is denied by the vault's own access policy.
   * @default - nobody: the vault's policy and lock can then not be changed, not even by CloudFormation
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html
   */
  readonly admittedPrincipalArns?: readonly string[];
  /** @default 35 */
  readonly dailyRetentionDays?: number;
  /** @default 365 */
  readonly monthlyRetentionDays?: number;
  /**
   * Locks the vault: recovery points cannot be deleted or shortened, and after `changeableForDays`
   * the lock itself cannot be removed (compliance mode).
   * @default - no lock
   */
  readonly vaultLock?: {
    readonly minRetentionDays: number;
    readonly maxRetentionDays?: number;
    readonly changeableForDays?: number;
  };
}

/**
 * The back office's backups: a vault encrypted with the zone key that refuses deletion of recovery
 * points, and a plan with a daily and a monthly rule. Resources join with `add`.
 *
 * Default settings: daily at 03:00 UTC kept 35 days, monthly on the 1st kept 365 days; the vault's
 * access policy denies deleting or shortening recovery points to everyone, and deleting the vault
 * or changing its access policy or lock to everyone but `admittedPrincipalArns`; vault and
 * plan kept on update and delete but removed when the deploy that created them fails
 * (`RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE`), so a failed first deploy can be retried; names
 * unique to the stack, so two environments fit in one account.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export class ZoneBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  /** The role AWS Backup uses for every selection; the zone key and resource policies admit it. */
  readonly role: iam.Role;
  private selections = 0;

  constructor(scope: Construct, id: string, props: ZoneBackupProps) {
    super(scope, id);
    const lock = props.vaultLock;
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      blockRecoveryPointDeletion: true,
      lockConfiguration: lock
        ? {
            minRetention: Duration.days(lock.minRetentionDays),
            maxRetention: lock.maxRetentionDays ? Duration.days(lock.maxRetentionDays) : undefined,
            changeableFor: Duration.days(lock.changeableForDays ?? 3),
          }
        : undefined,
    });
    // The vault guards itself: without this, anyone allowed `backup:*` could replace the access
    // policy (and with it the deny on deleting recovery points) or remove the lock.
    this.vault.addToAccessPolicy(
      new iam.PolicyStatement({
        sid: 'DenyChangingTheVault',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          'backup:DeleteBackupVault',
          'backup:PutBackupVaultAccessPolicy',
          'backup:DeleteBackupVaultAccessPolicy',
          'backup:PutBackupVaultLockConfiguration',
          'backup:DeleteBackupVaultLockConfiguration',
        ],
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn':
              props.admittedPrincipalArns && props.admittedPrincipalArns.length > 0
                ? [...props.admittedPrincipalArns]
                : [Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'root' })],
          },
        },
      }),
    );
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      // BackupPlan names itself after its construct id ("Plan") unless told otherwise.
      backupPlanName: props.planName ?? Names.uniqueResourceName(this, { maxLength: 50 }),
    });
    this.plan.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3' }),
        deleteAfter: Duration.days(props.dailyRetentionDays ?? 35),
      }),
    );
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Monthly',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4', day: '1' }),
        deleteAfter: Duration.days(props.monthlyRetentionDays ?? 365),
      }),
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup for the back office',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'service-role/AWSBackupServiceRolePolicyForBackup',
        ),
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'service-role/AWSBackupServiceRolePolicyForRestores',
        ),
      ],
    });
    this.node.addValidation({
      validate: () =>
        this.selections === 0 ? ['the back-office backup plan selects no resources'] : [],
    });
  }

  /** Puts resources into the plan, selected by ARN. */
  add(id: string, ...resources: backup.BackupResource[]): backup.BackupSelection {
    this.selections++;
    return this.plan.addSelection(id, { resources, role: this.role });
  }
}
