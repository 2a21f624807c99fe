// CDK-free: the pure checks of the broker's props, which the blueprint model applies too.
import { integerRangeProblem, type NumberRange } from '../shared/prop-rules';

/**
 * A Cognito domain prefix: lower-case letters, digits and hyphens, at most 63, not starting or
 * ending with a hyphen.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 */
export const COGNITO_DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * How long an access token may live, in minutes: 5 minutes to 1 day.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export const ACCESS_TOKEN_VALIDITY_MINUTES: NumberRange = { min: 5, max: 1440 };

/**
 * A WAF rate-based rule's limit, in requests per 5-minute window from one IP.
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
 */
export const WAF_RATE_LIMIT: NumberRange = { min: 10, max: 2_000_000_000 };

/**
 * The largest body WAF can inspect for a regional resource, in bytes (64 KB).
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
 */
export const WAF_MAX_BODY_BYTES: NumberRange = { min: 1, max: 65_536 };

/** What a Cognito domain prefix must be, as a problem's text. */
export const DOMAIN_PREFIX_RULE =
  'must be lower-case letters, digits and hyphens (at most 63, not at either end)';

/** Why Cognito would refuse this domain prefix, or undefined. */
export function domainPrefixProblem(prefix: string): string | undefined {
  return COGNITO_DOMAIN_PREFIX.test(prefix) ? undefined : DOMAIN_PREFIX_RULE;
}

/** Why Cognito would refuse this access-token lifetime, in minutes, or undefined. */
export function accessTokenValidityProblem(minutes: number): string | undefined {
  return integerRangeProblem(minutes, ACCESS_TOKEN_VALIDITY_MINUTES, 'minutes');
}

/** Why WAF would refuse this per-IP rate limit, or undefined. */
export function wafRateLimitProblem(limit: number): string | undefined {
  return integerRangeProblem(limit, WAF_RATE_LIMIT, 'requests per 5 minutes');
}

/** Why WAF could not inspect a body of this size, in bytes, or undefined. */
export function maxBodyBytesProblem(bytes: number): string | undefined {
  return integerRangeProblem(bytes, WAF_MAX_BODY_BYTES, 'bytes');
}

/**
 * A secret name prefix the rotation role may be scoped to: at least one path segment ending in
 * `/`, of the characters Secrets Manager allows in a name. An empty or short prefix would let the
 * role manage other secrets of the account.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 */
export const SECRET_NAME_PREFIX = /^[A-Za-z0-9_+=.@-]+(?:\/[A-Za-z0-9_+=.@-]+)*\/$/;

/** Why this credentials secret name prefix is too broad or invalid, or undefined. */
export function secretNamePrefixProblem(prefix: string): string | undefined {
  return SECRET_NAME_PREFIX.test(prefix)
    ? undefined
    : 'must be one or more path segments of A-Za-z0-9_+=.@- ending in "/", e.g. office-zones/broker/clients/';
}
