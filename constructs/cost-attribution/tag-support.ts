import * as table from './tag-support.json';

/**
 * How a CloudFormation resource type takes tags: `list` is `[{Key, Value}]`, `map` is
 * `{key: value}` (e.g. `UserPoolTags`), `autoscaling` is `[{Key, Value, PropagateAtLaunch}]`.
 */
export type TagFormat = 'list' | 'map' | 'autoscaling';

/** Where and how a resource type carries tags. */
export interface TagSupport {
  /** The CloudFormation property, e.g. `Tags`, `UserPoolTags`, `ResourceTags`. */
  readonly property: string;
  /** How the property holds the tags. */
  readonly format: TagFormat;
}

/** The table's path in the repository; `npm run tag-support` regenerates it. */
export const TAG_SUPPORT_FILE = 'constructs/cost-attribution/tag-support.json';

/** The aws-cdk-lib release the table was generated from, e.g. `aws-cdk-lib 2.276.0`. */
export const TAG_SUPPORT_SOURCE: string = table.source;

const taggable = table.taggable as Record<string, TagSupport>;
const notTaggable = new Set<string>(table.notTaggable);

/**
 * Whether resources of a CloudFormation type can carry tags, from aws-cdk-lib's own L1 classes:
 * the tag property and its shape, `null` for a type that takes no tags (every `Custom::*` type and
 * CDK's `AWS::CDK::Metadata` included), `undefined` for a type the table does not know (newer than
 * the aws-cdk-lib release it was generated from).
 */
export function tagSupport(cfnType: string): TagSupport | null | undefined {
  if (Object.prototype.hasOwnProperty.call(taggable, cfnType)) return taggable[cfnType];
  if (notTaggable.has(cfnType) || isCustomResourceType(cfnType) || cfnType === CDK_METADATA_TYPE)
    return null;
  return undefined;
}

/** The resource the CDK CLI adds for version reporting; CloudFormation does not create it. */
const CDK_METADATA_TYPE = 'AWS::CDK::Metadata';

/** `Custom::Foo` and `AWS::CloudFormation::CustomResource`: handled by a provider, never tagged. */
export function isCustomResourceType(cfnType: string): boolean {
  return cfnType.startsWith('Custom::') || cfnType === 'AWS::CloudFormation::CustomResource';
}

/** Tags in the shape a resource type expects, as CloudFormation template JSON. */
export function renderTags(format: TagFormat, tags: Readonly<Record<string, string>>): unknown {
  const keys = Object.keys(tags).sort();
  if (format === 'map') return Object.fromEntries(keys.map((k) => [k, tags[k]]));
  if (format === 'autoscaling')
    return keys.map((k) => ({ Key: k, Value: tags[k], PropagateAtLaunch: true }));
  return keys.map((k) => ({ Key: k, Value: tags[k] }));
}

/** Reads tags of any format back into a plain record; values that are not strings are skipped. */
export function readTags(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const tag of value) {
      if (tag && typeof tag === 'object') {
        const { Key, Value } = tag as { Key?: unknown; Value?: unknown };
        if (typeof Key === 'string' && typeof Value === 'string') out[Key] = Value;
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}
