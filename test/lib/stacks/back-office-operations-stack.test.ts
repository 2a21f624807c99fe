import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { allStacks, buildOfficeZones } from '../../../lib/stacks/office-zones';
import { synthesizedTemplates } from '../../../lib/stacks/limits';
import { zoneOf } from '../../../lib/stacks/zones';
import { largeBlueprint } from '../../support/large-blueprint';
import { buildReference, CDK_CONTEXT } from '../../helpers';

describe('the back-office operations stack of the reference', () => {
  const { app, stacks } = buildReference();
  const assembly = app.synth();
  const operations = Template.fromStack(stacks.backOfficeOperations);
  const backOffice = Template.fromStack(stacks.backOffice);

  test('holds every alarm of the back office; the back-office stack holds none', () => {
    backOffice.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const ids = Object.keys(operations.findResources('AWS::CloudWatch::Alarm')).map((id) =>
      id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''),
    );
    expect(ids.sort()).toEqual([
      'CatalogLedgerThrottles',
      'OrdersDeadLetters',
      'OrdersIntakeAge',
      'OrdersInvoicesThrottles',
      'OrdersLedgerThrottles',
      'OrdersWorkflowErrors',
      'OrdersWorkflowThrottles',
    ]);
  });

  test('every alarm notifies the operations topic of the back office, when it fires and when it clears', () => {
    const topicOutput = Object.entries<any>(backOffice.toJSON().Outputs).find(
      ([, output]) =>
        JSON.stringify(output.Value) ===
        JSON.stringify(stacks.backOffice.resolve(stacks.backOffice.zone.operations.topic.topicArn)),
    );
    expect(topicOutput).toBeDefined();
    const topic = {
      'Fn::GetStackOutput': {
        StackName: 'OfficeZones-dev-BackOffice',
        Region: { Ref: 'AWS::Region' },
        OutputName: topicOutput![0],
      },
    };
    const alarms = Object.values<any>(operations.findResources('AWS::CloudWatch::Alarm'));
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
      // Generated names: moving an alarm between stacks never collides with the old one.
      expect(alarm.Properties.AlarmName).toBeUndefined();
    }
    // The topic still admits CloudWatch alarms of the account.
    backOffice.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  test("watches the back office's queues, ledgers and workflow functions by the names the blueprint gives them", () => {
    const dimension = (name: string, value: string) => ({
      Dimensions: Match.arrayWith([{ Name: name, Value: value }]),
    });
    operations.hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      dimension('QueueName', 'OfficeZones-dev-orders-dead-letters'),
    );
    operations.hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      dimension('QueueName', 'OfficeZones-dev-orders-intake'),
    );
    operations.hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      dimension('FunctionName', 'OfficeZones-dev-orders-workflow'),
    );
    const tables = JSON.stringify(operations.findResources('AWS::CloudWatch::Alarm'));
    for (const table of [
      'OfficeZones-dev-orders-ledger',
      'OfficeZones-dev-orders-ledger-invoices',
      'OfficeZones-dev-catalog-ledger',
    ])
      expect(tables).toContain(`{"Name":"TableName","Value":"${table}"}`);
    // The names the alarms watch are the names the back office builds.
    backOffice.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'OfficeZones-dev-orders-workflow',
    });
    backOffice.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'OfficeZones-dev-orders-ledger-invoices',
    });
  });

  test('its one reference to the back office is the operations topic; it is deployed after the back office', () => {
    const json = JSON.stringify(operations.toJSON());
    const outputs = [...json.matchAll(/"OutputName":"([^"]+)"/g)].map((m) => m[1]);
    expect([...new Set(outputs)]).toEqual([
      expect.stringMatching(/^PublishOutputRefZoneOperationsTopic[0-9A-F]{8}[0-9A-F]{8}$/),
    ]);
    const artifact = assembly.getStackByName('OfficeZones-dev-BackOfficeOperations');
    expect(artifact.dependencies.map((d) => d.id)).toContain('OfficeZones-dev-BackOffice');
  });

  test('belongs to the back-office zone, owned by IT, protected from termination', () => {
    expect(zoneOf(stacks.backOfficeOperations)).toBe('back-office');
    expect(stacks.backOfficeOperations.costTags).toEqual(stacks.backOffice.costTags);
    expect(stacks.backOfficeOperations.terminationProtection).toBe(true);
    expect(allStacks(stacks).slice(0, 2)).toEqual([stacks.backOffice, stacks.backOfficeOperations]);
  });
});

// The goal: the back office fits 25 capabilities with their budgets with headroom
// (CloudFormation's limits are 500 resources and 1 MB; ours, 450 and 800 KB).
test('at 25 capabilities with budgets, every back-office stack stays under 450 resources and 800 KB', () => {
  const blueprint = parseBlueprint(largeBlueprint({ products: 1, capabilities: 25 }));
  expect(blueprint.backOffice.budgets).toHaveLength(26);
  // What `cdk synth` writes: construct paths and the CDK metadata resource make the templates
  // larger than an assertion test's.
  const app = new App({
    context: {
      ...CDK_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:version-reporting': true,
    },
  });
  const stacks = buildOfficeZones(app, blueprint);
  const names = allStacks(stacks)
    .filter((s) => zoneOf(s) === 'back-office')
    .map((s) => s.stackName);
  expect(names).toEqual(['OfficeZones-dev-BackOffice', 'OfficeZones-dev-BackOfficeOperations']);
  const sizes = synthesizedTemplates(app.synth())
    .filter((t) => names.includes(t.stackName))
    .map((t) => ({
      stack: t.stackName,
      resources: Object.keys(t.template.Resources ?? {}).length,
      bytes: t.bytes,
    }));
  expect(sizes).toHaveLength(2);
  // Failing, this names the stack with its resource count and template bytes.
  expect(sizes.filter((s) => s.resources >= 450 || s.bytes >= 800_000)).toEqual([]);
});
