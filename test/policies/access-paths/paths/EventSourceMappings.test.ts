import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A function reading an encrypted queue; `onlyOthers` makes the queue deny receiving to all but another role. */
function pollingApp(onlyOthers: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Work');
  const queue = new sqs.Queue(stack, 'Intake', { encryptionMasterKey: new kms.Key(stack, 'Key') });
  if (onlyOthers)
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        resources: [queue.queueArn],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/other' } },
      }),
    );
  const fn = new lambda.Function(stack, 'Workflow', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  fn.addEventSource(new SqsEventSource(queue));
  return app;
}

describe('EventSourceMappings', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(pollingApp(false), { Work: 'back-office' });
    bad = await evaluate(pollingApp(true), { Work: 'back-office' });
  });

  it("lets Lambda read the queue with the function's role and decrypt it", () => {
    expect(decisions(ofKind(good, 'EventSourceMappings'))).toEqual([
      'run.event-source.work.workflow.work.intake.receivemessage Allowed',
      'run.event-source.work.workflow.work.intake.deletemessage Allowed',
      'run.event-source.work.workflow.work.intake.getqueueattributes Allowed',
      'run.event-source.work.workflow.work.intake.decrypt Allowed',
    ]);
  });

  it("fails when the queue policy denies the function's role", () => {
    expect(decisions(ofKind(bad, 'EventSourceMappings').filter((p) => !p.pass))).toEqual([
      'run.event-source.work.workflow.work.intake.receivemessage ExplicitlyDenied',
      'run.event-source.work.workflow.work.intake.deletemessage ExplicitlyDenied',
    ]);
  });
});
