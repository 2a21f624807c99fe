import { Aws, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  allowCloudWatchAlarms,
  CLOUDWATCH_ALARMS,
} from '../../../../constructs/shared/alarm-topics';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/**
 * An alarm on an encrypted, TLS-only topic. `cloudWatch` says what the topic and key policies let
 * CloudWatch do: what the zones grant (`allowCloudWatchAlarms`), the same with a key statement
 * whose encryption-context condition names another region's topics, or nothing.
 */
function alarmApp(cloudWatch: 'allowed' | 'elsewhere' | 'absent') {
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
  if (cloudWatch === 'allowed') allowCloudWatchAlarms(topic, key);
  if (cloudWatch === 'elsewhere') {
    allowCloudWatchAlarms(topic);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(CLOUDWATCH_ALARMS)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:aws:sns:topicArn': `arn:${Aws.PARTITION}:sns:us-east-1:${Aws.ACCOUNT_ID}:*`,
          },
        },
      }),
    );
  }
  return app;
}

describe('AlarmNotifications', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(alarmApp('allowed'), { Ops: 'back-office' });
    bad = await evaluate(alarmApp('absent'), { Ops: 'back-office' });
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

  it("evaluates the key policy's condition on the topic ARN SNS sends as encryption context", () => {
    const keyUse = ofKind(good, 'AlarmNotifications').filter((p) => p.action.startsWith('kms:'));
    expect(keyUse.map((p) => p.context)).toEqual([
      {
        'kms:EncryptionContext:aws:sns:topicArn': expect.stringMatching(
          /^arn:aws:sns:eu-west-1:111111111111:/,
        ),
      },
      {
        'kms:EncryptionContext:aws:sns:topicArn': expect.stringMatching(
          /^arn:aws:sns:eu-west-1:111111111111:/,
        ),
      },
    ]);
    // The engine's validated entry point drops the key, so the runner has it evaluated (DEC-010).
    expect(keyUse[0].note).toMatch(/runUnsafeSimulation.*kms:EncryptionContext:aws:sns:topicArn/);
    expect(good.summary).toMatchObject({ failed: 0, notEvaluated: 0 });
  });

  it("fails when the key admits CloudWatch only for another region's topics", async () => {
    const report = await evaluate(alarmApp('elsewhere'), { Ops: 'back-office' });
    expect(decisions(ofKind(report, 'AlarmNotifications'))).toEqual([
      'run.alarm.ops.deadletters.ops.topic.publish Allowed',
      'run.alarm.ops.deadletters.ops.topic.generatedatakey ImplicitlyDenied',
      'run.alarm.ops.deadletters.ops.topic.decrypt ImplicitlyDenied',
    ]);
    expect(report.summary).toMatchObject({ failed: 2, notEvaluated: 0 });
  });

  it('fails when the topic policy (which replaces the default one) has no allow for CloudWatch', () => {
    expect(decisions(ofKind(bad, 'AlarmNotifications'))).toEqual([
      'run.alarm.ops.deadletters.ops.topic.publish ImplicitlyDenied',
      'run.alarm.ops.deadletters.ops.topic.generatedatakey ImplicitlyDenied',
      'run.alarm.ops.deadletters.ops.topic.decrypt ImplicitlyDenied',
    ]);
  });
});
