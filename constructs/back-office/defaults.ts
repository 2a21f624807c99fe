/**
 * The back office's defaults, as data, in one place: its constructs read them
 * (`props.dailyRetentionDays ?? BACK_OFFICE_DEFAULTS.backup.dailyRetentionDays`) and so does the
 * blueprint model (`.default(...)`), and a test holds the TSDoc and the README to them. CDK-free
 * (plain numbers and strings, durations in seconds, minutes or days): `lib/blueprint` reads it.
 */
export const BACK_OFFICE_DEFAULTS = {
  /** `IsolatedNetwork`. */
  network: {
    /** The VPC's address range. */
    cidr: '10.40.0.0/16',
    /** How many Availability Zones the isolated subnets span. */
    maxAzs: 2,
    /** How long flow logs are kept, in days. */
    flowLogRetentionDays: 365,
  },
  /** `ZoneBackup`. */
  backup: {
    /** How long the daily recovery points are kept, in days. */
    dailyRetentionDays: 35,
    /** How long the monthly recovery points are kept, in days. */
    monthlyRetentionDays: 365,
    /** Days a vault lock can still be removed before it becomes immutable (AWS's minimum). */
    changeableForDays: 3,
  },
  /** `SystemOfRecord`. */
  systemOfRecord: {
    /** Receives of a message before it goes to the dead-letter queue. */
    maxReceiveCount: 3,
    /** How long the intake queue keeps a message, in days. */
    intakeRetentionDays: 4,
    /** How long the dead-letter queue keeps a message, in days. */
    deadLetterRetentionDays: 14,
    /** The intake queue's visibility timeout, in minutes. */
    visibilityTimeoutMinutes: 5,
  },
  /** `CommandWorkflow`. */
  commandWorkflow: {
    /** Messages per invocation. */
    batchSize: 10,
    /** Invocations at once. */
    maxConcurrency: 5,
    /** The function's timeout, in seconds. */
    timeoutSeconds: 60,
  },
} as const;
