import {
  AspectPriority,
  Aspects,
  CfnResource,
  IAspect,
  Stack,
  TagManager,
  Tags,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { readTags, renderTags, tagSupport } from './tag-support';

/** AWS accepts at most this many user tags on one resource. */
const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Puts cost-attribution tags on every taggable resource under a scope. This is the one mechanism
 * Office Zones tags with, for every stack:
 *
 * - `Tags.of(scope)`: CDK's tag aspect, which reaches every L1 resource with a tag manager,
 *   whatever the tag property is called or shaped like (`Tags` lists, `UserPoolTags` maps);
 * - an aspect for the raw `CfnResource`s CDK makes without a tag manager (custom-resource provider
 *   roles and functions, log-retention handlers): it writes the tags into the template property
 *   the resource type takes (see `tagSupport`).
 *
 * Both run at synth, so resources added after this call are tagged too. A tag applied to a deeper
 * scope wins over the same key applied higher up. Stack tags (`StackProps.tags`) are separate:
 * CloudFormation propagates them at deploy to what the template cannot tag.
 */
export function applyCostTags(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
  Aspects.of(scope).add(new RawResourceTagger(scope, tags), {
    priority: AspectPriority.MUTATING,
  });
}

/**
 * Fails synth when a taggable resource under the scope lacks one of the required tag keys, or
 * carries more tags than AWS allows: one error per resource and key, naming both. Runs after
 * every aspect, so it sees what the template will hold.
 */
export function requireCostTags(scope: IConstruct, requiredKeys: readonly string[]): void {
  scope.node.addValidation({ validate: () => costTagProblems(scope, requiredKeys) });
}

/** The tags a resource will carry in its template, or undefined when it cannot carry any. */
export function costTagsOf(resource: CfnResource): Record<string, string> | undefined {
  const manager = TagManager.of(resource);
  if (manager) {
    const rendered = manager.renderTags();
    return rendered === undefined ? undefined : manager.tagValues();
  }
  const support = tagSupport(resource.cfnResourceType);
  if (!support) return undefined;
  return { ...readTags(rawProperties(resource)[support.property]), ...rawTags.get(resource) };
}

/** What `requireCostTags` reports for a scope, as messages (empty when every resource complies). */
export function costTagProblems(scope: IConstruct, requiredKeys: readonly string[]): string[] {
  const problems: string[] = [];
  for (const node of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const type = node.cfnResourceType;
    const where = `${node.node.path} (${type})`;
    if (!TagManager.of(node) && tagSupport(type) === undefined) {
      problems.push(
        `${where}: cannot tell whether this resource type takes tags; regenerate the tag table with \`npm run tag-support\``,
      );
      continue;
    }
    const tags = costTagsOf(node);
    if (!tags) continue;
    for (const key of requiredKeys) {
      if (!(key in tags)) problems.push(`${where}: has no cost tag ${key}`);
    }
    const count = Object.keys(tags).length;
    if (count > MAX_TAGS_PER_RESOURCE) {
      problems.push(`${where}: carries ${count} tags; AWS allows at most ${MAX_TAGS_PER_RESOURCE}`);
    }
  }
  return problems;
}

/** Tags the raw-resource aspect decided on, per resource, with the depth of the scope that set them. */
const rawTags = new WeakMap<CfnResource, Record<string, string>>();
const rawDepths = new WeakMap<CfnResource, Record<string, number>>();

class RawResourceTagger implements IAspect {
  private readonly depth: number;

  constructor(
    scope: IConstruct,
    private readonly tags: Readonly<Record<string, string>>,
  ) {
    this.depth = scope.node.scopes.length;
  }

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || TagManager.of(node)) return;
    const support = tagSupport(node.cfnResourceType);
    if (!support) return;
    const tags = { ...rawTags.get(node) };
    const depths = { ...rawDepths.get(node) };
    for (const [key, value] of Object.entries(this.tags)) {
      if ((depths[key] ?? -1) > this.depth) continue;
      tags[key] = value;
      depths[key] = this.depth;
    }
    rawTags.set(node, tags);
    rawDepths.set(node, depths);
    const existing = readTags(Stack.of(node).resolve(rawProperties(node)[support.property]));
    node.addPropertyOverride(
      support.property,
      renderTags(support.format, { ...existing, ...tags }),
    );
  }
}

/** The properties a raw `CfnResource` was created with (CDK keeps them for rendering). */
function rawProperties(resource: CfnResource): Record<string, unknown> {
  return (resource as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties ?? {};
}
