/**
 * The front office's defaults, as data, in one place: its constructs read them
 * (`props.memorySize ?? FRONT_OFFICE_DEFAULTS.productApi.memorySize`) and so does the blueprint
 * model (`.default(...)`), and a test holds the TSDoc and the README to them. CDK-free (plain
 * numbers and strings, durations in seconds or days): `lib/blueprint` reads it.
 */
export const FRONT_OFFICE_DEFAULTS = {
  /** `ProductApi` and `DigitalProduct`'s `api`. */
  productApi: {
    /** The function's memory, in MiB. */
    memorySize: 256,
    /** The function's timeout, in seconds. */
    timeoutSeconds: 10,
    /** The `$default` stage's throttle. */
    throttle: { rateLimit: 50, burstLimit: 100 },
    /** How long the function's logs and the API's access logs are kept, in days. */
    logRetentionDays: 365,
  },
  /** `StaticWeb`. */
  staticWeb: {
    /** How long access logs are kept, in days. */
    logRetentionDays: 90,
    /** How long replaced versions of the site's objects are kept, in days. */
    noncurrentVersionRetentionDays: 30,
  },
  /** `ProductData`. */
  productData: {
    /** The table's partition key. */
    partitionKey: 'pk',
  },
} as const;
