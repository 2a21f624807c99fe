import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENGINE_INSTALL_HINT } from '../../../policies/access-paths/engine';
import { AccessPathChecks } from '../../../policies/access-paths/plugin';
import { settings } from './support';

/** An alarm whose TLS-only topic policy lets no one publish: one must-allow path fails. */
function alarmApp(plugin: AccessPathChecks): App {
  const app = new App();
  const stack = new Stack(app, 'Ops');
  const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
  new cloudwatch.Alarm(stack, 'DeadLetters', {
    metric: new cloudwatch.Metric({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
    }),
    threshold: 0,
    evaluationPeriods: 1,
  }).addAlarmAction(new actions.SnsAction(topic));
  Validations.of(app).addPlugins(plugin);
  return app;
}

const zoneOf = () => 'back-office' as const;

describe('AccessPathChecks (the validation plugin)', () => {
  it('fails synth naming the path, principal, action, resource and deciding statement', () => {
    const plugin = new AccessPathChecks({ settings: settings(), zoneOf });
    let message = '';
    try {
      alarmApp(plugin).synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('run.alarm.ops.deadletters.ops.topic.publish');
    expect(message).toContain('expected allow, got ImplicitlyDenied');
    expect(message).toContain(
      'principal cloudwatch.amazonaws.com; action sns:Publish; resource arn:aws:sns:eu-west-1:111111111111:',
    );
    expect(message).toMatch(
      /decided by resource policy AWS::SNS::TopicPolicy Ops\/TopicPolicy[0-9A-F]+ \[no statement allows\]/,
    );
    expect(plugin.report).toMatchObject({
      simulation: true,
      evaluated: true,
      summary: { failed: 1 },
    });
    expect(plugin.report?.engine).toEqual({
      name: '@cloud-copilot/iam-simulate',
      version: expect.stringMatching(/^0\.1\./),
    });
  });

  it('does not fail synth and prints one line saying how to install the engine when it is not installed', () => {
    const lines: string[] = [];
    const plugin = new AccessPathChecks({
      settings: settings(),
      zoneOf,
      loadEngine: () => undefined,
      log: (l) => lines.push(l),
    });
    expect(() => alarmApp(plugin).synth()).not.toThrow();
    expect(lines).toEqual([ENGINE_INSTALL_HINT]);
    expect(ENGINE_INSTALL_HINT).toContain('npm install --save-dev @cloud-copilot/iam-simulate');
    expect(plugin.report).toMatchObject({
      evaluated: false,
      notEvaluatedReason: ENGINE_INSTALL_HINT,
      engine: { name: '@cloud-copilot/iam-simulate', version: null },
      summary: { passed: 0, failed: 0 },
    });
    const { total, notEvaluated } = plugin.report!.summary;
    expect(notEvaluated).toBe(total);
    expect(
      plugin.report?.paths.find((p) => p.id === 'run.alarm.ops.deadletters.ops.topic.publish'),
    ).toMatchObject({
      decision: 'NotEvaluated',
      pass: true,
    });
  });
});
