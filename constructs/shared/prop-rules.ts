import type { Throttle } from './throttle';

/**
 * Pure checks of construct props against AWS limits, shared by the constructs (which skip
 * unresolved tokens and name their path) and the blueprint model and rules (which name the
 * blueprint path), so that a limit is written and checked once. CDK-free: `lib/blueprint` reads it.
 * Each check returns why AWS would refuse the value, phrased to follow the prop's name, or
 * undefined when the value is acceptable.
 */

/** An inclusive range of numbers. */
export interface NumberRange {
  /** The smallest valid value. */
  readonly min: number;
  /** The largest valid value. */
  readonly max: number;
}

/**
 * Lambda function memory, in MiB.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export const FUNCTION_MEMORY_MIB: NumberRange = { min: 128, max: 10_240 };

/**
 * Lambda function timeout, in seconds.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const FUNCTION_TIMEOUT_SECONDS: NumberRange = { min: 1, max: 900 };

/**
 * Timeout, in seconds, of a function behind an API Gateway integration: API Gateway ends the
 * request after 29 seconds (REST, by default) or 30 seconds (HTTP APIs), so a longer-running
 * function would answer nobody.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
 */
export const INTEGRATION_TIMEOUT_SECONDS: NumberRange = { min: 1, max: 29 };

/**
 * The most requests in a burst an API Gateway stage or usage plan can allow: the account-level
 * burst quota per Region.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export const MAX_BURST_LIMIT = 5_000;

/** Why `value` is not an integer in `range` (`unit` after the numbers), or undefined. */
export function integerRangeProblem(
  value: number,
  range: NumberRange,
  unit: string,
): string | undefined {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    return `must be a whole number of ${unit} from ${range.min} to ${range.max}`;
  }
  return undefined;
}

/** Why Lambda would refuse this memory size, in MiB, or undefined. */
export function memorySizeProblem(mib: number): string | undefined {
  return integerRangeProblem(mib, FUNCTION_MEMORY_MIB, 'MiB');
}

/** Why this timeout, in seconds, of a function behind API Gateway would not work, or undefined. */
export function integrationTimeoutProblem(seconds: number): string | undefined {
  return integerRangeProblem(seconds, INTEGRATION_TIMEOUT_SECONDS, 'seconds');
}

/** Why API Gateway would refuse the rate limit of a throttle, or undefined. */
export function rateLimitProblem(rateLimit: number): string | undefined {
  return Number.isFinite(rateLimit) && rateLimit > 0
    ? undefined
    : 'must be a number of requests per second greater than 0';
}

/** Why API Gateway would refuse the burst limit of a throttle, or undefined. */
export function burstLimitProblem(burstLimit: number): string | undefined {
  return integerRangeProblem(burstLimit, { min: 0, max: MAX_BURST_LIMIT }, 'requests');
}

/** The problems of a throttle, by its field. */
export function throttleProblems(
  throttle: Throttle,
): { readonly field: keyof Throttle; readonly problem: string }[] {
  const problems: { field: keyof Throttle; problem: string }[] = [];
  const rate = rateLimitProblem(throttle.rateLimit);
  if (rate) problems.push({ field: 'rateLimit', problem: rate });
  const burst = burstLimitProblem(throttle.burstLimit);
  if (burst) problems.push({ field: 'burstLimit', problem: burst });
  return problems;
}

/**
 * An IAM role's name: 1 to 64 letters, digits and `+=,.@_-`.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * A DynamoDB table's name: 3 to 255 letters, digits, `_`, `-` or `.`.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
export const DYNAMODB_TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * An SQS standard queue's name: 1 to 80 letters, digits, `_` or `-`.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html
 */
export const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Why IAM would refuse this role name, or undefined. */
export function roleNameProblem(name: string): string | undefined {
  return IAM_ROLE_NAME.test(name)
    ? undefined
    : 'must be 1 to 64 letters, digits or the characters + = , . @ _ -';
}

/** Why DynamoDB would refuse this table name, or undefined. */
export function tableNameProblem(name: string): string | undefined {
  return DYNAMODB_TABLE_NAME.test(name)
    ? undefined
    : 'must be 3 to 255 letters, digits, underscores, hyphens or periods';
}

/** Why SQS would refuse this standard queue's name, or undefined. */
export function queueNameProblem(name: string): string | undefined {
  return SQS_QUEUE_NAME.test(name)
    ? undefined
    : 'must be 1 to 80 letters, digits, underscores or hyphens';
}
