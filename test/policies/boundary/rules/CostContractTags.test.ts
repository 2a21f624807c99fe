import { Stack, Tags } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { findings, zonedApp } from '../fixtures';

describe('B8 CostContractTags', () => {
  test('fails once per missing key when a taggable resource lacks contract tags', () => {
    const { app } = zonedApp();
    const bare = new Stack(app, 'Bare');
    new sqs.Queue(bare, 'Queue');
    Tags.of(bare).add('Zone', 'front-office');
    Tags.of(bare).add('Owner', 'a@b.example');
    expect(findings(app, 'B8')).toEqual(
      ['CostCentre', 'Environment', 'Product'].map((key) => ({
        id: `OfficeZonesBoundary-B8[${key}]`,
        path: 'Bare/Queue/Resource',
      })),
    );
  });

  test('fails when stack tags are the only attribution, and for an L1 resource whose tags map lacks a key', () => {
    const { app, front } = zonedApp();
    const tagged = new Stack(app, 'StackTagsOnly', {
      tags: { Zone: 'x', CostCentre: 'CC-1', Owner: 'o', Product: 'p', Environment: 'e' },
    });
    new sqs.CfnQueue(tagged, 'Raw');
    const param = new ssm.CfnParameter(front, 'Param', { type: 'String', value: 'v' });
    for (const key of ['CostCentre', 'Environment', 'Product'])
      param.addPropertyDeletionOverride(`Tags.${key}`);
    expect(findings(app, 'B8').map((f) => `${f.path} ${f.id}`)).toEqual([
      'OfficeZones-test-Product-shop/Param OfficeZonesBoundary-B8[CostCentre]',
      'StackTagsOnly/Raw OfficeZonesBoundary-B8[CostCentre]',
      'OfficeZones-test-Product-shop/Param OfficeZonesBoundary-B8[Environment]',
      'StackTagsOnly/Raw OfficeZonesBoundary-B8[Environment]',
      'StackTagsOnly/Raw OfficeZonesBoundary-B8[Owner]',
      'OfficeZones-test-Product-shop/Param OfficeZonesBoundary-B8[Product]',
      'StackTagsOnly/Raw OfficeZonesBoundary-B8[Product]',
      'StackTagsOnly/Raw OfficeZonesBoundary-B8[Zone]',
    ]);
  });

  test('passes resources tagged with every key, and resources CDK cannot tag', () => {
    const { app, front } = zonedApp();
    new sqs.Queue(front, 'Queue');
    // A queue with enforceSSL gets an AWS::SQS::QueuePolicy, which cannot carry tags.
    new sqs.Queue(front, 'Other', { enforceSSL: true });
    expect(findings(app, 'B8')).toEqual([]);
  });
});
