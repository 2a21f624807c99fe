/**
 * AWS Backup's rules for a zone's backup plan and vault lock, as pure checks shared by
 * `ZoneBackup` (which names its path and skips tokens) and the blueprint rules (which name the
 * blueprint path). CDK-free: `lib/blueprint` reads it.
 */

/**
 * Days a vault lock stays removable after it is set, before it becomes immutable (compliance
 * mode): at least 3.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
 */
export const MIN_CHANGEABLE_FOR_DAYS = 3;

/**
 * The longest retention a vault lock can require, in days (100 years).
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
 */
export const MAX_LOCK_RETENTION_DAYS = 36_500;

/**
 * A backup plan's name: 1 to 50 letters, digits, `-`, `_` or `.`.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html
 */
export const BACKUP_PLAN_NAME = /^[A-Za-z0-9\-_.]{1,50}$/;

/** What the checks read: the plan's retention and its optional vault lock, in days. */
export interface BackupRetention {
  /** How long the daily recovery points are kept, in days. */
  readonly dailyRetentionDays: number;
  /** How long the monthly recovery points are kept, in days. */
  readonly monthlyRetentionDays: number;
  /**
   * The vault lock's retention bounds and grace period, in days.
   * @default - no lock
   */
  readonly vaultLock?: {
    readonly minRetentionDays?: number;
    readonly maxRetentionDays?: number;
    readonly changeableForDays?: number;
  };
}

/** A problem of one field, by its path under the backup settings, e.g. `['vaultLock', 'minRetentionDays']`. */
export interface BackupProblem {
  /** The field, e.g. `['vaultLock', 'minRetentionDays']`. */
  readonly path: readonly string[];
  /** What is wrong, phrased to follow the field's name. */
  readonly problem: string;
  /** The value of the field. */
  readonly received: number;
}

const isWholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;

/** Why AWS Backup would refuse this plan name, or undefined. */
export function backupPlanNameProblem(name: string): string | undefined {
  return BACKUP_PLAN_NAME.test(name)
    ? undefined
    : 'must be 1 to 50 letters, digits, hyphens, underscores or periods';
}

/** Every problem of a plan's retention and vault lock, the two checked against each other. */
export function backupRetentionProblems(backup: BackupRetention): BackupProblem[] {
  const problems: BackupProblem[] = [];
  const add = (path: string[], problem: string, received: number) =>
    problems.push({ path, problem, received });
  const daily = backup.dailyRetentionDays;
  const monthly = backup.monthlyRetentionDays;
  if (!isWholeAtLeast(daily, 1))
    add(['dailyRetentionDays'], 'must be a whole number of days, at least 1', daily);
  if (!isWholeAtLeast(monthly, 1))
    add(['monthlyRetentionDays'], 'must be a whole number of days, at least 1', monthly);
  const lock = backup.vaultLock;
  if (!lock) return problems;
  const { minRetentionDays: min, maxRetentionDays: max, changeableForDays } = lock;
  if (min !== undefined) {
    if (!isWholeAtLeast(min, 1) || min > MAX_LOCK_RETENTION_DAYS) {
      add(
        ['vaultLock', 'minRetentionDays'],
        `must be a whole number of days from 1 to ${MAX_LOCK_RETENTION_DAYS}`,
        min,
      );
    } else if (min > daily) {
      add(
        ['vaultLock', 'minRetentionDays'],
        `must not exceed dailyRetentionDays (${daily}), or the vault refuses the daily backups`,
        min,
      );
    }
  }
  if (max !== undefined) {
    if (!isWholeAtLeast(max, 1) || max > MAX_LOCK_RETENTION_DAYS) {
      add(
        ['vaultLock', 'maxRetentionDays'],
        `must be a whole number of days from 1 to ${MAX_LOCK_RETENTION_DAYS}`,
        max,
      );
    } else if (max < monthly) {
      add(
        ['vaultLock', 'maxRetentionDays'],
        `must be at least monthlyRetentionDays (${monthly}), or the vault refuses the monthly backups`,
        max,
      );
    } else if (min !== undefined && max < min) {
      add(['vaultLock', 'maxRetentionDays'], `must be at least minRetentionDays (${min})`, max);
    }
  }
  if (
    changeableForDays !== undefined &&
    !isWholeAtLeast(changeableForDays, MIN_CHANGEABLE_FOR_DAYS)
  ) {
    add(
      ['vaultLock', 'changeableForDays'],
      `must be a whole number of days, at least ${MIN_CHANGEABLE_FOR_DAYS}`,
      changeableForDays,
    );
  }
  return problems;
}
