import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CliError, firstLine } from './errors';

/** Where and as whom the CLI calls AWS: the AWS CLI's conventions. */
export interface AwsSettings {
  /** @default - the SDK's region chain: `AWS_REGION`, then the profile's region */
  readonly region?: string;
  /** @default - the default credential chain (`AWS_PROFILE`, environment, SSO, instance role) */
  readonly profile?: string;
  /** An endpoint for every service the CLI calls, e.g. a local Cognito emulator. @default - AWS */
  readonly endpointUrl?: string;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
}

/** How long to wait between attempts. Delays double each attempt, with full jitter. */
export interface RetryTiming {
  /** First backoff of a throttled call. */
  readonly throttlingBaseDelayMs: number;
  /** First backoff after a dropped connection or a server error. */
  readonly transientBaseDelayMs: number;
  /** No single wait is longer. */
  readonly maxDelayMs: number;
}

/** The SDK's standard retry timing (500 ms for throttling, 100 ms otherwise, 20 s cap). */
export const DEFAULT_RETRY_TIMING: RetryTiming = {
  throttlingBaseDelayMs: 500,
  transientBaseDelayMs: 100,
  maxDelayMs: 20_000,
};

export const DEFAULT_MAX_ATTEMPTS = 5;

/** Error names AWS services use for "slow down"; the request was not carried out. */
const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequests',
  'ProvisionedThroughputExceededException',
]);

/** Network failures after which the server may or may not have carried out the request. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

export type Failure = 'throttling' | 'transient' | 'server' | 'final';

/** The services the CLI calls, by their IAM prefix. */
export type Service = 'cognito-idp' | 'ssm' | 'apigateway' | 'secretsmanager';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(e: unknown): SdkErrorShape {
  return typeof e === 'object' && e !== null ? (e as SdkErrorShape) : {};
}

/**
 * The network error code of a failed request. The SDK may hand it over wrapped, as text
 * ("AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:443").
 */
function networkCode(s: SdkErrorShape): string | undefined {
  if (s.code) return s.code;
  const message = s.message ?? '';
  const code = /\b(E[A-Z_]{3,}|UND_ERR_[A-Z_]+)\b/.exec(message)?.[1];
  if (code && TRANSIENT_CODES.has(code)) return code;
  return /socket hang up/i.test(message) ? 'ECONNRESET' : undefined;
}

/** The error name an AWS service gave, or the network error code. */
export function errorName(e: unknown): string {
  const s = shape(e);
  const code = networkCode(s);
  if (code && TRANSIENT_CODES.has(code)) return code;
  return s.name && s.name !== 'Error' ? s.name : (code ?? 'Error');
}

/** Whether trying again can help, and whether it is safe for any operation. */
export function classify(e: unknown): Failure {
  const s = shape(e);
  const name = errorName(e);
  const status = s.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429) return 'throttling';
  if (TRANSIENT_CODES.has(name)) return 'transient';
  if (name === 'TimeoutError' || name === 'RequestTimeout') return 'transient';
  // cognito-local answers operations it lacks with HTTP 500 `Unsupported`: asking again will not help.
  if (name === 'Unsupported' || name === 'UnknownOperationException') return 'final';
  if (s.$fault === 'server' && (status ?? 500) >= 500) return 'server';
  return 'final';
}

/** A call that failed for good, with what the CLI was doing and how often it tried. */
export class AwsCallError extends Error {
  readonly errorName: string;
  constructor(
    readonly service: Service,
    readonly operation: string,
    readonly attempts: number,
    override readonly cause: unknown,
    readonly endpoint: string | undefined,
    /** The `--profile` in use, for messages about credentials. */
    readonly profile?: string,
  ) {
    super(`${service}:${operation} failed: ${errorName(cause)}`);
    this.name = 'AwsCallError';
    this.errorName = errorName(cause);
  }

  /**
   * Whether the call failed because of how the CLI is set up (no region, no usable or expired
   * credentials) rather than because of what it asked: the fix is then the user's, not a flag's.
   */
  get isSetupProblem(): boolean {
    const e = shape(this.cause);
    const detail = e.message ? firstLine(e.message) : this.errorName;
    return (
      this.errorName.endsWith('ProviderError') ||
      /Region is missing/i.test(detail) ||
      EXPIRED.has(this.errorName) ||
      REJECTED.has(this.errorName)
    );
  }

  /** The one line a user reads. Never includes a request or response body. */
  describe(): string {
    const e = shape(this.cause);
    const name = this.errorName;
    const detail = e.message ? firstLine(e.message) : name;
    const call = `${this.service}:${this.operation}`;
    const where = this.endpoint ? ` at ${this.endpoint}` : '';
    const tries = this.attempts > 1 ? ` after ${this.attempts} attempts` : '';
    if (name.endsWith('ProviderError')) {
      return this.profile
        ? `no usable AWS credentials for profile ${this.profile} (${detail}): check that profile in the shared config and credentials files, or sign in again (aws sso login --profile ${this.profile})`
        : `no usable AWS credentials (${detail}): pass --profile, or set credentials the AWS CLI way (default credential chain)`;
    }
    if (/Region is missing/i.test(detail)) {
      return 'no AWS region: pass --region, set AWS_REGION, or give the profile a region';
    }
    if (EXPIRED.has(name) || (REJECTED.has(name) && /expired/i.test(detail))) {
      return `the AWS credentials have expired (${name} on ${call}): refresh them (for example aws sso login) and run the command again`;
    }
    if (REJECTED.has(name)) {
      return `the AWS credentials were rejected (${name} on ${call}): check --profile and the account`;
    }
    if (DENIED.has(name)) {
      return `not allowed to call ${call} (${name}): ${detail}`;
    }
    switch (classify(this.cause)) {
      case 'throttling':
        return `${call} was still throttled${tries} (${name}): try again later, or raise --max-attempts`;
      case 'transient':
        return `lost the connection to the ${this.service} endpoint${where} during ${this.operation}${tries} (${name})`;
      case 'server':
        return `the ${this.service} endpoint${where} failed ${this.operation}${tries} (${name}: ${detail})`;
      default:
        return `${call} failed (${name}: ${detail})`;
    }
  }
}

/**
 * The SDK's logger. Without one, the credential chain warns on the console (for example when
 * --profile meets AWS_ACCESS_KEY_ID), which would break the one-line error contract. What matters
 * reaches the user as the error of the call.
 */
const SILENT = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Sleeps; replaced in tests only by passing a shorter `RetryTiming`, never skipped. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The AWS clients of one CLI run, and the one place that calls them: every call goes through
 * `call`, which retries with exponential backoff and full jitter. A throttled request was not
 * carried out, so it is retried for any operation; after a dropped connection or a server error
 * the server may have carried it out, so only idempotent operations are retried.
 */
export class Aws {
  readonly cognito: CognitoIdentityProviderClient;
  private ssmClient: SSMClient | undefined;
  private apigatewayClient: APIGatewayClient | undefined;
  private secretsManagerClient: SecretsManagerClient | undefined;

  constructor(
    readonly settings: AwsSettings,
    private readonly timing: RetryTiming = DEFAULT_RETRY_TIMING,
  ) {
    this.cognito = new CognitoIdentityProviderClient(this.clientConfig());
  }

  private clientConfig() {
    const { region, profile, endpointUrl } = this.settings;
    return {
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      // Retries are ours (see `call`), so the SDK makes one attempt per call.
      maxAttempts: 1,
      logger: SILENT,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    };
  }

  get ssm(): SSMClient {
    this.ssmClient ??= new SSMClient(this.clientConfig());
    return this.ssmClient;
  }

  get apigateway(): APIGatewayClient {
    this.apigatewayClient ??= new APIGatewayClient(this.clientConfig());
    return this.apigatewayClient;
  }

  get secretsManager(): SecretsManagerClient {
    this.secretsManagerClient ??= new SecretsManagerClient(this.clientConfig());
    return this.secretsManagerClient;
  }

  /** Calls AWS with retries; throws `AwsCallError` when the call failed for good. */
  async call<T>(
    service: Service,
    operation: string,
    idempotent: boolean,
    send: () => Promise<T>,
  ): Promise<T> {
    const max = Math.max(1, this.settings.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (e) {
        const failure = classify(e);
        const retryable =
          failure === 'throttling' ||
          (idempotent && (failure === 'transient' || failure === 'server'));
        if (!retryable || attempt >= max) {
          throw new AwsCallError(
            service,
            operation,
            attempt,
            e,
            this.settings.endpointUrl,
            this.settings.profile,
          );
        }
        const base =
          failure === 'throttling'
            ? this.timing.throttlingBaseDelayMs
            : this.timing.transientBaseDelayMs;
        await sleep(Math.random() * Math.min(this.timing.maxDelayMs, base * 2 ** (attempt - 1)));
      }
    }
  }

  /** The value of an SSM parameter, or undefined when it does not exist. */
  async parameter(name: string): Promise<string | undefined> {
    try {
      const out = await this.call('ssm', 'GetParameter', true, () =>
        this.ssm.send(new GetParameterCommand({ Name: name })),
      );
      return out.Parameter?.Value;
    } catch (e) {
      if (e instanceof AwsCallError && e.errorName === 'ParameterNotFound') return undefined;
      throw e;
    }
  }

  /**
   * Every SSM parameter under a path (one level, as `GetParametersByPath` without `Recursive`),
   * page by page (10 a page, SSM's most), with its name and value.
   * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
   */
  async parametersByPath(path: string): Promise<{ name: string; value: string }[]> {
    const found: { name: string; value: string }[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call('ssm', 'GetParametersByPath', true, () =>
        this.ssm.send(
          new GetParametersByPathCommand({ Path: path, MaxResults: 10, NextToken: nextToken }),
        ),
      );
      for (const p of out.Parameters ?? [])
        if (p.Name !== undefined && p.Value !== undefined)
          found.push({ name: p.Name, value: p.Value });
      nextToken = out.NextToken;
    } while (nextToken);
    return found;
  }

  destroy(): void {
    this.cognito.destroy();
    this.ssmClient?.destroy();
    this.apigatewayClient?.destroy();
    this.secretsManagerClient?.destroy();
  }
}

/** The message of any error that reaches the top of a command, as one line. */
export function describeFailure(e: unknown): string {
  if (e instanceof CliError) return e.message;
  if (e instanceof AwsCallError) return e.describe();
  const s = shape(e);
  return firstLine(`${errorName(e)}: ${s.message ?? String(e)}`);
}
