import { App, CfnResource, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  applyCostTags,
  requireCostTags,
} from '../../../constructs/cost-attribution/cost-attribution';
import { CDK_CONTEXT, errorOf, testApp } from '../../helpers';

const TEST_CONTEXT = { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] };

// The log-retention handler is deprecated in favour of log groups, but CDK still makes it (and
// third-party constructs still ask for it), so the tags must reach it.
process.env.JSII_DEPRECATED = 'quiet';

const CONTRACT = {
  Zone: 'front-office',
  CostCentre: 'CC-3100',
  Owner: 'team@example.com',
  Product: 'shop',
  Environment: 'dev',
};
const KEYS = Object.keys(CONTRACT);

/** A stack with the resources CDK makes as raw CfnResources, tagged and checked. */
function taggedStack() {
  const stack = new Stack(testApp(), 'Tagged');
  new s3.Bucket(stack, 'Bucket', {
    autoDeleteObjects: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  new cognito.UserPool(stack, 'Pool');
  applyCostTags(stack, CONTRACT);
  requireCostTags(stack, KEYS);
  return stack;
}

/** Tags of every resource of a type in a template, by logical id, in any tag format. */
function tagsByResource(template: Template, type: string, property = 'Tags') {
  const out: Record<string, Record<string, string>> = {};
  for (const [id, r] of Object.entries<any>(template.findResources(type))) {
    const raw = r.Properties?.[property];
    out[id] = Array.isArray(raw)
      ? Object.fromEntries(raw.map((t: any) => [t.Key, t.Value]))
      : (raw ?? {});
  }
  return out;
}

describe('applyCostTags', () => {
  test('tags the raw provider roles and functions CDK makes for auto-delete and log retention', () => {
    const stack = taggedStack();
    const template = Template.fromStack(stack);
    const providers = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
      (id) => id.startsWith('CustomS3AutoDeleteObjects') || id.startsWith('LogRetention'),
    );
    expect(providers.length).toBe(2);
    const roles = tagsByResource(template, 'AWS::IAM::Role');
    const functions = tagsByResource(template, 'AWS::Lambda::Function');
    expect(Object.keys(roles).length).toBeGreaterThanOrEqual(3);
    for (const tags of [...Object.values(roles), ...Object.values(functions)]) {
      expect(tags).toMatchObject(CONTRACT);
    }
    // The auto-delete provider role is a raw AWS::IAM::Role that Tags.of() does not reach.
    const rawRole = Object.keys(roles).find((id) => id.startsWith('CustomS3AutoDeleteObjects'));
    expect(roles[rawRole!]).toEqual(CONTRACT);
  });

  test('puts the contract into the UserPoolTags map of a Cognito user pool', () => {
    const template = Template.fromStack(taggedStack());
    expect(
      Object.values(tagsByResource(template, 'AWS::Cognito::UserPool', 'UserPoolTags')),
    ).toEqual([CONTRACT]);
  });

  test('a tag applied to a deeper scope wins, for raw resources as well', () => {
    const stack = new Stack(testApp(), 'Deep');
    const inner = new s3.Bucket(stack, 'Bucket', {
      autoDeleteObjects: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const raw = new CfnResource(stack, 'RawQueue', { type: 'AWS::SQS::Queue' });
    applyCostTags(raw, { Product: 'inner' });
    applyCostTags(stack, CONTRACT);
    applyCostTags(inner, { Product: 'bucket' });
    const template = Template.fromStack(stack);
    expect(tagsByResource(template, 'AWS::SQS::Queue').RawQueue).toEqual({
      ...CONTRACT,
      Product: 'inner',
    });
    expect(Object.values(tagsByResource(template, 'AWS::S3::Bucket'))[0].Product).toBe('bucket');
  });

  test('keeps tags a raw resource was created with, unless the contract sets the same key', () => {
    const stack = new Stack(testApp(), 'Keep');
    new CfnResource(stack, 'RawQueue', {
      type: 'AWS::SQS::Queue',
      properties: {
        Tags: [
          { Key: 'Team', Value: 'blue' },
          { Key: 'Product', Value: 'old' },
        ],
      },
    });
    applyCostTags(stack, CONTRACT);
    expect(tagsByResource(Template.fromStack(stack), 'AWS::SQS::Queue').RawQueue).toEqual({
      ...CONTRACT,
      Team: 'blue',
    });
  });
});

describe('requireCostTags', () => {
  test('passes when every taggable resource carries every key', () => {
    expect(() => testAppSynth(taggedStack())).not.toThrow();
  });

  test('fails when a resource lost a contract key, naming the resource and the key', () => {
    const stack = taggedStack();
    const queue = new sqs.Queue(stack, 'Queue');
    Tags.of(queue).remove('CostCentre');
    const message = errorOf(() => testAppSynth(stack));
    expect(message).toContain(
      'Tagged/Queue/Resource (AWS::SQS::Queue): has no cost tag CostCentre',
    );
    expect(message).not.toContain('has no cost tag Owner');
  });

  test('fails when a raw resource escapes the tagged scope, once per missing key', () => {
    const stack = new Stack(testApp(), 'Escaped');
    const tagged = new sqs.Queue(stack, 'Tagged');
    applyCostTags(tagged, CONTRACT);
    new CfnResource(stack, 'Raw', { type: 'AWS::SNS::Topic' });
    requireCostTags(stack, KEYS);
    const message = errorOf(() => testAppSynth(stack));
    for (const key of KEYS) {
      expect(message).toContain(`Escaped/Raw (AWS::SNS::Topic): has no cost tag ${key}`);
    }
    expect(message).not.toContain('Escaped/Tagged');
  });

  test('ignores resources that cannot carry tags', () => {
    const stack = new Stack(testApp(), 'Untaggable');
    new sqs.Queue(stack, 'Queue').addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        principals: [new iam.AccountRootPrincipal()],
        resources: ['*'],
      }),
    );
    new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: 'x' } });
    applyCostTags(stack, CONTRACT);
    requireCostTags(stack, KEYS);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 1);
    expect(template.toJSON().Resources.Custom.Properties.Tags).toBeUndefined();
  });

  test("accepts the CDK CLI's version-reporting resource, which takes no tags", () => {
    const app = new App({ context: { ...TEST_CONTEXT, 'aws:cdk:version-reporting': true } });
    const stack = new Stack(app, 'Reported');
    new sqs.Queue(stack, 'Queue');
    applyCostTags(stack, CONTRACT);
    requireCostTags(stack, KEYS);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CDK::Metadata', 1);
  });

  test('fails when a raw resource has a type the tag table does not know', () => {
    const stack = new Stack(testApp(), 'Unknown');
    new CfnResource(stack, 'Future', { type: 'AWS::Future::Widget' });
    requireCostTags(stack, KEYS);
    expect(errorOf(() => testAppSynth(stack))).toContain(
      'Unknown/Future (AWS::Future::Widget): cannot tell whether this resource type takes tags',
    );
  });

  test('fails when a resource would carry more than 50 tags', () => {
    const stack = new Stack(testApp(), 'Crowded');
    new sqs.Queue(stack, 'Queue');
    const many = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`Extra${i}`, 'x']));
    applyCostTags(stack, { ...CONTRACT, ...many });
    requireCostTags(stack, KEYS);
    expect(errorOf(() => testAppSynth(stack))).toContain(
      'Crowded/Queue/Resource (AWS::SQS::Queue): carries 52 tags; AWS allows at most 50',
    );
  });
});

function testAppSynth(stack: Stack) {
  return Template.fromStack(stack);
}
