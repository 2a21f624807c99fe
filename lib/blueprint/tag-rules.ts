/**
 * AWS's rules for resource tags, shared by the blueprint parser and the synth-time checks.
 * Source: "Tagging AWS resources", tag naming limits and requirements.
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** Tags aws-cdk-lib may add on its own to a resource (the VPC subnets carry three). */
export const TAGS_CDK_MAY_ADD = 3;

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why AWS would reject this tag key, or undefined when it is acceptable. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a tag key must not be empty';
  if (key.length > MAX_TAG_KEY_LENGTH)
    return `a tag key has at most ${MAX_TAG_KEY_LENGTH} characters (this one has ${key.length})`;
  if (key.toLowerCase().startsWith('aws:')) return 'the aws: prefix is reserved by AWS';
  if (!ALLOWED.test(key))
    return 'a tag key may hold only letters, digits, spaces and _ . : / = + - @';
  return undefined;
}

/** Why AWS would reject this tag value, or undefined when it is acceptable. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > MAX_TAG_VALUE_LENGTH)
    return `a tag value has at most ${MAX_TAG_VALUE_LENGTH} characters (this one has ${value.length})`;
  if (!ALLOWED.test(value))
    return 'a tag value may hold only letters, digits, spaces and _ . : / = + - @';
  return undefined;
}
