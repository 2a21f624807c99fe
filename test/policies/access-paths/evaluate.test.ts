import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { allowCloudWatchAlarms } from '../../../constructs/shared/alarm-topics';
import {
  type AsyncAccessEngine,
  loadIamSimulateInProcess,
} from '../../../policies/access-paths/engine';
import { evaluateAccessPathsAsync } from '../../../policies/access-paths/evaluate';
import { newApp, settings, templatesOf } from './support';

/** An alarm on an encrypted topic whose key admits CloudWatch for this region's topics only. */
function alarmApp() {
  const app = newApp();
  const stack = new Stack(app, 'Ops');
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  new cloudwatch.Alarm(stack, 'DeadLetters', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent' }),
    threshold: 0,
    evaluationPeriods: 1,
  }).addAlarmAction(new actions.SnsAction(topic));
  allowCloudWatchAlarms(topic, key);
  return app;
}

describe('evaluateAccessPaths', () => {
  test('a context key the request carries, which the engine leaves out, makes a path NotEvaluated only where a policy names it', async () => {
    const real = loadIamSimulateInProcess();
    if (!real) throw new Error('the tests need @cloud-copilot/iam-simulate (a devDependency)');
    // The real engine's answers, as an engine that drops every context key would give them.
    const dropping: AsyncAccessEngine = {
      name: real.name,
      version: real.version,
      evaluate: async (requests) =>
        (await real.evaluate(requests)).map((answer, i) => ({
          ...answer,
          ignoredContextKeys: Object.keys(
            (requests[i].simulation as { request: { contextVariables: object } }).request
              .contextVariables,
          ),
        })),
    };
    const report = await evaluateAccessPathsAsync(
      templatesOf(alarmApp(), { Ops: 'back-office' }),
      settings(),
      dropping,
    );
    const alarms = report.paths.filter((p) => p.kind === 'AlarmNotifications');
    expect(alarms.map((p) => `${p.action} ${p.decision}`)).toEqual([
      'sns:Publish Allowed',
      'kms:GenerateDataKey NotEvaluated',
      'kms:Decrypt NotEvaluated',
    ]);
    // The key policy names the encryption context SNS sends; no policy of the Publish request
    // names a key that path carries of its own.
    expect(alarms[1].error).toBe(
      `${real.name} ${real.version} does not evaluate the context key kms:EncryptionContext:aws:sns:topicArn that this request carries`,
    );
  });
});
