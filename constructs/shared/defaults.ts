/**
 * Defaults of the shared constructs, as data (see `constructs/front-office/defaults.ts`).
 * CDK-free: `lib/blueprint` may read it.
 */
export const SHARED_DEFAULTS = {
  /** `NodeFunction`. */
  nodeFunction: {
    /** Memory, in MiB. */
    memorySize: 256,
    /** Timeout, in seconds. */
    timeoutSeconds: 10,
    /** How long the function's logs are kept, in days. */
    logRetentionDays: 365,
  },
} as const;
