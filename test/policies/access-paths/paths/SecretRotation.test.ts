import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A secret rotated by a function; `lockedOut` makes the secret deny writes to everyone. */
function rotationApp(lockedOut: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Broker');
  const secret = new secretsmanager.Secret(stack, 'Credentials', {
    encryptionKey: new kms.Key(stack, 'Key'),
  });
  const fn = new lambda.Function(stack, 'Rotation', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  secret.addRotationSchedule('Rotation', {
    rotationLambda: fn,
    automaticallyAfter: Duration.days(30),
  });
  if (lockedOut)
    secret.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:PutSecretValue'],
        resources: ['*'],
      }),
    );
  return app;
}

describe('SecretRotation', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(rotationApp(false), { Broker: 'integration' });
    bad = await evaluate(rotationApp(true), { Broker: 'integration' });
  });

  it('lets Secrets Manager invoke the rotation function and the function rotate the secret', () => {
    expect(decisions(ofKind(good, 'SecretRotation'))).toEqual([
      'run.rotation.broker.credentials.invoke Allowed',
      'run.rotation.broker.credentials.getsecretvalue Allowed',
      'run.rotation.broker.credentials.putsecretvalue Allowed',
      'run.rotation.broker.credentials.describesecret Allowed',
      'run.rotation.broker.credentials.updatesecretversionstage Allowed',
      'run.rotation.broker.credentials.decrypt Allowed',
      'run.rotation.broker.credentials.generatedatakey Allowed',
    ]);
  });

  it('fails when the secret policy denies the rotation its write', () => {
    expect(decisions(ofKind(bad, 'SecretRotation').filter((p) => !p.pass))).toEqual([
      'run.rotation.broker.credentials.putsecretvalue ExplicitlyDenied',
    ]);
  });
});
