import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import { backupPlanNameProblem, backupRetentionProblems } from './backup-rules';
import { BACK_OFFICE_DEFAULTS } from './defaults';

const DEFAULTS = BACK_OFFICE_DEFAULTS.backup;

/** A vault lock: how long recovery points must be kept, and how long the lock stays removable. */
export interface VaultLockOptions {
  /**
   * The shortest retention, in days, a recovery point in the vault may have. Range: 1 to 36,500,
   * at most the daily retention.
   */
  readonly minRetentionDays: number;
  /**
   * The longest retention, in days, a recovery point in the vault may have. Range: 1 to 36,500,
   * at least the monthly retention.
   * @default - no maximum
   */
  readonly maxRetentionDays?: number;
  /**
   * Days the lock can still be removed after it is set; after that it is immutable (compliance
   * mode). Range: at least 3.
   * @default 3
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
   */
  readonly changeableForDays?: number;
}

export interface ZoneBackupProps {
  /** Encrypts the vault's recovery points. */
  readonly encryptionKey: kms.IKey;
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
  /**
   * How long the daily recovery points are kept, in days. Range: at least 1.
   * @default 35
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
   */
  readonly dailyRetentionDays?: number;
  /**
   * How long the monthly recovery points are kept, in days. Range: at least 1.
   * @default 365
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
   */
  readonly monthlyRetentionDays?: number;
  /**
   * Locks the vault: recovery points cannot be deleted or shortened, and after `changeableForDays`
   * the lock itself cannot be removed (compliance mode).
   * @default - no lock
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
   */
  readonly vaultLock?: VaultLockOptions;
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
  /** The vault that keeps the recovery points. */
  readonly vault: backup.IBackupVault;
  /** The plan with the daily and the monthly rule. */
  readonly plan: backup.IBackupPlan;
  /** The role AWS Backup uses for every selection; the zone key and resource policies admit it. */
  readonly role: iam.IRole;
  private readonly backupPlan: backup.BackupPlan;
  private selections = 0;

  constructor(scope: Construct, id: string, props: ZoneBackupProps) {
    super(scope, id);
    const lock = props.vaultLock;
    const dailyRetentionDays = props.dailyRetentionDays ?? DEFAULTS.dailyRetentionDays;
    const monthlyRetentionDays = props.monthlyRetentionDays ?? DEFAULTS.monthlyRetentionDays;
    const checks = new PropChecks(this).check('planName', props.planName, backupPlanNameProblem);
    // The rules compare the values with each other, so one token (known only at deploy time)
    // leaves them all to AWS Backup.
    const days = [dailyRetentionDays, monthlyRetentionDays, ...Object.values(lock ?? {})];
    if (!days.some((d) => Token.isUnresolved(d))) {
      const retention = { dailyRetentionDays, monthlyRetentionDays, vaultLock: lock };
      for (const { path, problem, received } of backupRetentionProblems(retention)) {
        checks.add(path.join('.'), problem, JSON.stringify(received));
      }
    }
    checks.throwIfAny();

    const vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      blockRecoveryPointDeletion: true,
      lockConfiguration: lock
        ? {
            minRetention: Duration.days(lock.minRetentionDays),
            maxRetention: lock.maxRetentionDays ? Duration.days(lock.maxRetentionDays) : undefined,
            changeableFor: Duration.days(lock.changeableForDays ?? DEFAULTS.changeableForDays),
          }
        : undefined,
    });
    this.vault = vault;
    // The vault guards itself: without this, anyone allowed `backup:*` could replace the access
    // policy (and with it the deny on deleting recovery points) or remove the lock.
    vault.addToAccessPolicy(
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
    const plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: vault,
      // BackupPlan names itself after its construct id ("Plan") unless told otherwise.
      backupPlanName: props.planName ?? Names.uniqueResourceName(this, { maxLength: 50 }),
    });
    this.plan = plan;
    this.backupPlan = plan;
    plan.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3' }),
        deleteAfter: Duration.days(dailyRetentionDays),
      }),
    );
    plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Monthly',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4', day: '1' }),
        deleteAfter: Duration.days(monthlyRetentionDays),
      }),
    );
    const role = new iam.Role(this, 'Role', {
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
    this.role = role;
    this.node.addValidation({
      validate: () =>
        this.selections === 0 ? ['the back-office backup plan selects no resources'] : [],
    });
  }

  /** Puts resources into the plan, selected by ARN. */
  add(id: string, ...resources: backup.BackupResource[]): backup.BackupSelection {
    this.selections++;
    return this.backupPlan.addSelection(id, { resources, role: this.role });
  }
}
