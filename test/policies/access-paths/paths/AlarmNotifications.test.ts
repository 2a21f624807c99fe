import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** An alarm on an encrypted, TLS-only topic; `allowCloudWatch` adds the topic and key statements CloudWatch needs. */
function alarmApp(allowCloudWatch: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Ops');
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  const alarm = new cloudwatch.Alarm(stack, 'DeadLetters', {
    metric: new cloudwatch.Metric({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
    }),
    threshold: 0,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  if (allowCloudWatch) {
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
  }
  return app;
}

describe('AlarmNotifications', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(alarmApp(true), { Ops: 'back-office' });
    bad = await evaluate(alarmApp(false), { Ops: 'back-office' });
  });

  it('lets CloudWatch publish the alarm to the topic and use its key', () => {
    expect(decisions(ofKind(good, 'AlarmNotifications'))).toEqual([
      'run.alarm.ops.deadletters.ops.topic.publish Allowed',
      'run.alarm.ops.deadletters.ops.topic.generatedatakey Allowed',
      'run.alarm.ops.deadletters.ops.topic.decrypt Allowed',
    ]);
    expect(ofKind(good, 'AlarmNotifications')[0].principal).toMatchObject({
      service: 'cloudwatch.amazonaws.com',
      sourceAccount: '111111111111',
      sourceArn: expect.stringMatching(/^arn:aws:cloudwatch:eu-west-1:111111111111:alarm:/),
    });
  });

  it('fails when the topic policy (which replaces the default one) has no allow for CloudWatch', () => {
    expect(decisions(ofKind(bad, 'AlarmNotifications'))).toEqual([
      'run.alarm.ops.deadletters.ops.topic.publish ImplicitlyDenied',
      'run.alarm.ops.deadletters.ops.topic.generatedatakey ImplicitlyDenied',
      'run.alarm.ops.deadletters.ops.topic.decrypt ImplicitlyDenied',
    ]);
  });
});
