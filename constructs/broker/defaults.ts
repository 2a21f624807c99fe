/**
 * The broker's defaults, as data, in one place: its constructs read them
 * (`props.throttle ?? BROKER_DEFAULTS.api.throttle`) and so does the blueprint model
 * (`broker.throttle` and the others default to the same values), and a test holds the TSDoc and
 * the README to them. CDK-free (plain numbers, durations in minutes, seconds or days):
 * `lib/blueprint` reads it.
 */
export const BROKER_DEFAULTS = {
  /** `BrokerIdentity`. */
  identity: {
    /** How long a client-credentials access token lives, in minutes. */
    accessTokenValidityMinutes: 60,
  },
  /** `BrokerApi` and `Broker`. */
  api: {
    /** The stage's throttle, for all callers together. */
    throttle: { rateLimit: 100, burstLimit: 200 },
    /** The throttle of a consumer that declares none (its usage plan). */
    consumerThrottle: { rateLimit: 50, burstLimit: 100 },
  },
  /** `RegionalWebAcl`. */
  webAcl: {
    /** Requests from one IP address in 5 minutes before WAF blocks it. */
    rateLimitPerIp: 1000,
    /** The largest request body WAF lets through, in bytes. */
    maxBodyBytes: 16_384,
  },
  /** `Broker`'s consumers. */
  consumers: {
    /** The name prefix of every consumer's credentials secret. */
    credentialsSecretNamePrefix: 'office-zones/broker/clients/',
  },
  /** `ClientSecretRotation`. */
  rotation: {
    /** How often each consumer's client secret is rotated, in days. */
    everyDays: 30,
  },
} as const;
