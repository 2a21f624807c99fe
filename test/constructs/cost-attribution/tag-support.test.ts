import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import {
  readTags,
  TAG_SUPPORT_SOURCE,
  tagSupport,
} from '../../../constructs/cost-attribution/tag-support';
import { buildReference } from '../../helpers';

describe('the tag-support table', () => {
  test('was generated from the installed aws-cdk-lib (else run `npm run tag-support`)', () => {
    const installed = JSON.parse(
      fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8'),
    ).version;
    expect(TAG_SUPPORT_SOURCE).toBe(`aws-cdk-lib ${installed}`);
  });

  test('agrees with the tag manager of every L1 resource in the reference app', () => {
    const { app } = buildReference();
    const assembly = app.synth();
    const seen = new Set<string>();
    const disagreements: string[] = [];
    for (const node of app.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || seen.has(node.cfnResourceType)) continue;
      const type = node.cfnResourceType;
      seen.add(type);
      const manager = TagManager.of(node);
      const support = tagSupport(type);
      // Raw CfnResources have no manager; the table must still know their type.
      if (!manager) {
        if (support === undefined) disagreements.push(`${type}: unknown to the table`);
        continue;
      }
      if (!support) {
        disagreements.push(`${type}: has a tag manager, the table says untaggable`);
        continue;
      }
      const stack = Stack.of(node);
      // The management stage's stacks are in a nested assembly: find each by its artifact id.
      const template = assembly.getStackArtifact(stack.artifactId).template;
      const props = template.Resources[stack.resolve(node.logicalId)].Properties ?? {};
      // The same tags (order aside: initial tags may come last), in the shape the table says.
      const actual = props[support.property];
      const shape = !Array.isArray(actual)
        ? 'map'
        : actual.every((t: any) => 'PropagateAtLaunch' in t)
          ? 'autoscaling'
          : 'list';
      if (!isDeepStrictEqual(readTags(actual), manager.tagValues()) || shape !== support.format)
        disagreements.push(`${type}: ${support.property} renders differently`);
    }
    expect(disagreements).toEqual([]);
    expect(seen.size).toBeGreaterThan(25);
  });

  test('knows the types finance asks about', () => {
    expect(tagSupport('AWS::Cognito::UserPool')).toEqual({
      property: 'UserPoolTags',
      format: 'map',
    });
    expect(tagSupport('AWS::AutoScaling::AutoScalingGroup')?.format).toBe('autoscaling');
    expect(tagSupport('AWS::Budgets::Budget')).toEqual({
      property: 'ResourceTags',
      format: 'list',
    });
    expect(tagSupport('AWS::IAM::Policy')).toBeNull();
    expect(tagSupport('AWS::Cognito::UserPoolClient')).toBeNull();
    expect(tagSupport('Custom::CostAllocationTags')).toBeNull();
    expect(tagSupport('AWS::CloudFormation::CustomResource')).toBeNull();
    expect(tagSupport('AWS::CDK::Metadata')).toBeNull();
    expect(tagSupport('AWS::Not::AType')).toBeUndefined();
  });
});
