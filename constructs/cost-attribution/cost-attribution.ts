import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Puts cost-attribution tags on every taggable resource under a scope, by one mechanism
 * (`Tags.of`, which CDK applies as an aspect at synth), so a resource added later is tagged too.
 * A tag applied to a deeper scope wins over the same key applied higher up.
 */
export function applyCostTags(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
}
