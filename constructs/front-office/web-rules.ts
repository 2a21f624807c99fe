/**
 * CloudFront's rules for a static web front end's settings, as pure checks shared by `StaticWeb`
 * (which names its path and skips tokens) and the blueprint model (which names the blueprint
 * path). Each pattern comes with the message both give. CDK-free: `lib/blueprint` reads it.
 */

/** A rule: the pattern a value must match, and what to say when it does not. */
export interface PatternRule {
  /** The pattern a valid value matches. */
  readonly pattern: RegExp;
  /** What to say of a value that does not, e.g. `must be a lower-case domain name`. */
  readonly message: string;
}

/**
 * A country of a geo restriction.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/georestrictions.html
 */
export const COUNTRY_CODE: PatternRule = {
  pattern: /^[A-Z]{2}$/,
  message: 'must be an ISO 3166-1 alpha-2 country code',
};

/**
 * A web ACL in front of a distribution: CLOUDFRONT scope, which exists only in us-east-1.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
 */
export const CLOUDFRONT_WEB_ACL_ARN: PatternRule = {
  pattern: /^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global\/webacl\/.+$/,
  message: 'must be the ARN of a CLOUDFRONT-scope web ACL in us-east-1',
};

/** A custom domain of a distribution. */
export const DOMAIN_NAME: PatternRule = {
  pattern: /^(?!-)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+$/,
  message: 'must be a lower-case domain name',
};

/**
 * The certificate of a custom domain: CloudFront takes ACM certificates from us-east-1 only.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
 */
export const CLOUDFRONT_CERTIFICATE_ARN: PatternRule = {
  pattern: /^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate\/.+$/,
  message: 'must be the ARN of an ACM certificate in us-east-1',
};

/** The check of a rule: its message when `value` does not match, else undefined. */
export function patternProblem(rule: PatternRule): (value: string) => string | undefined {
  return (value) => (rule.pattern.test(value) ? undefined : rule.message);
}
