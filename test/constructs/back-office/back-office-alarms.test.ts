import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BackOfficeAlarms } from '../../../constructs/back-office/back-office-alarms';
import { testApp } from '../../helpers';

/** Alarms in a stack of their own, on a topic and resources of another stack, known by name. */
function alarmsOnImported() {
  const app = testApp();
  const zoneStack = new Stack(app, 'Zone');
  const topic = new sns.Topic(zoneStack, 'Topic');
  const stack = new Stack(app, 'Operations');
  const alarms = new BackOfficeAlarms(stack, 'Alarms', { topic });
  const added = alarms.addCapability({
    capabilityName: 'order-intake',
    ledgers: [
      dynamodb.Table.fromTableName(stack, 'Ledger', 'acme-order-intake-ledger'),
      dynamodb.Table.fromTableName(stack, 'Invoices', 'acme-order-intake-ledger-invoices'),
    ],
    intakeQueue: sqs.Queue.fromQueueAttributes(stack, 'Intake', {
      queueName: 'acme-order-intake-intake',
      queueArn: stack.formatArn({ service: 'sqs', resource: 'acme-order-intake-intake' }),
    }),
    deadLetterQueue: sqs.Queue.fromQueueAttributes(stack, 'DeadLetters', {
      queueName: 'acme-order-intake-dead-letters',
      queueArn: stack.formatArn({ service: 'sqs', resource: 'acme-order-intake-dead-letters' }),
    }),
    workflowFunctionName: 'acme-order-intake-workflow',
  });
  return { alarms, added, template: Template.fromStack(stack) };
}

describe('BackOfficeAlarms', () => {
  test('alarms on dead letters, workflow errors and throttles, stale intake and each ledger throttling', () => {
    const { added, template } = alarmsOnImported();
    expect(added.map((a) => a.node.id)).toEqual([
      'OrderIntakeDeadLetters',
      'OrderIntakeWorkflowErrors',
      'OrderIntakeWorkflowThrottles',
      'OrderIntakeIntakeAge',
      'OrderIntakeLedgerThrottles',
      'OrderIntakeInvoicesThrottles',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'FunctionName', Value: 'acme-order-intake-workflow' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 900,
      Dimensions: [{ Name: 'QueueName', Value: 'acme-order-intake-intake' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'acme-order-intake-dead-letters' }],
    });
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain('{"Name":"TableName","Value":"acme-order-intake-ledger-invoices"}');
  });

  test('each alarm notifies the topic of the other stack when it fires and when it clears, under a generated name', () => {
    const { template } = alarmsOnImported();
    for (const alarm of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([
        { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Zone' }) },
      ]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      expect(alarm.Properties.AlarmName).toBeUndefined();
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  test('a read-only capability gets only its ledger alarm', () => {
    const stack = new Stack(testApp(), 'Operations');
    const alarms = new BackOfficeAlarms(stack, 'Alarms', { topic: new sns.Topic(stack, 'Topic') });
    const added = alarms.addCapability({
      capabilityName: 'catalog',
      ledgers: [dynamodb.Table.fromTableName(stack, 'Ledger', 'acme-catalog-ledger')],
    });
    expect(added.map((a) => a.node.id)).toEqual(['CatalogLedgerThrottles']);
  });
});
