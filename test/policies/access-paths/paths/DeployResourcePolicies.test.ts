import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A queue and a topic with policies; `lockedOut` makes the queue policy deny changing it to all but one role. */
function policiesApp(lockedOut: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Ops');
  const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
  if (lockedOut)
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:*'],
        resources: [queue.queueArn],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/workflow' },
        },
      }),
    );
  new sns.Topic(stack, 'Topic', { enforceSSL: true });
  return app;
}

describe('DeployResourcePolicies', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(policiesApp(false), { Ops: 'back-office' });
    bad = await evaluate(policiesApp(true), { Ops: 'back-office' });
  });

  it('lets the execution role update the queue and topic policies', () => {
    expect(decisions(ofKind(good, 'DeployResourcePolicies'))).toEqual([
      'deploy.update-policy.ops.queue Allowed',
      'deploy.update-policy.ops.topic Allowed',
    ]);
  });

  it('fails when a queue policy denies the deploying role its own update', () => {
    const [queue] = ofKind(bad, 'DeployResourcePolicies');
    expect(queue).toMatchObject({
      id: 'deploy.update-policy.ops.queue',
      action: 'sqs:SetQueueAttributes',
      decision: 'ExplicitlyDenied',
      pass: false,
    });
  });
});
