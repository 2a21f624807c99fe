import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** An intake queue with a dead-letter queue and an operator role; `workflowOnly` makes the dead-letter queue deny all but the workflow. */
function operatorApp(workflowOnly: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'BackOffice');
  const key = new kms.Key(stack, 'Key');
  const dlq = new sqs.Queue(stack, 'DeadLetters', { encryptionMasterKey: key });
  const intake = new sqs.Queue(stack, 'Intake', {
    encryptionMasterKey: key,
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
  });
  const operator = new iam.Role(stack, 'Operator', {
    roleName: 'back-office-operator',
    assumedBy: new iam.AccountRootPrincipal(),
  });
  dlq.grantConsumeMessages(operator);
  operator.addToPolicy(
    new iam.PolicyStatement({ actions: ['sqs:StartMessageMoveTask'], resources: [dlq.queueArn] }),
  );
  intake.grantSendMessages(operator);
  if (workflowOnly)
    dlq.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:ReceiveMessage', 'sqs:StartMessageMoveTask'],
        resources: [dlq.queueArn],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/workflow' },
        },
      }),
    );
  return app;
}

describe('Operator', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    const over = { operatorRoleName: 'back-office-operator' };
    good = await evaluate(operatorApp(false), { BackOffice: 'back-office' }, over);
    bad = await evaluate(operatorApp(true), { BackOffice: 'back-office' }, over);
  });

  it('lets the operator read the dead-letter queue and redrive it to its source', () => {
    expect(decisions(ofKind(good, 'Operator'))).toEqual([
      'run.operator.backoffice.deadletters.receivemessage Allowed',
      'run.operator.backoffice.deadletters.deletemessage Allowed',
      'run.operator.backoffice.deadletters.getqueueattributes Allowed',
      'run.operator.backoffice.deadletters.startmessagemovetask Allowed',
      'run.operator.backoffice.deadletters.read.decrypt Allowed',
      'run.operator.backoffice.deadletters.redrive-to.backoffice.intake.sendmessage Allowed',
      'run.operator.backoffice.deadletters.redrive-to.backoffice.intake.generatedatakey Allowed',
      'run.operator.backoffice.deadletters.redrive-to.backoffice.intake.decrypt Allowed',
    ]);
  });

  it('fails when the dead-letter queue denies the operator', () => {
    expect(decisions(ofKind(bad, 'Operator').filter((p) => !p.pass))).toEqual([
      'run.operator.backoffice.deadletters.receivemessage ExplicitlyDenied',
      'run.operator.backoffice.deadletters.startmessagemovetask ExplicitlyDenied',
    ]);
  });

  it('derives no operator path when the blueprint declares no operators (no role is built)', async () => {
    const report = await evaluate(
      operatorApp(false),
      { BackOffice: 'back-office' },
      { operatorRoleName: 'missing' },
    );
    expect(ofKind(report, 'Operator')).toEqual([]);
  });
});
