import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { ROTATION_SECRET_ACTIONS } from '../../../../policies/access-paths/paths/SecretRotation';
import { decisions, evaluate, newApp, ofKind } from '../support';

/**
 * A secret rotated by a function, as the broker's SecretRotation builds it: the function invokable
 * by Secrets Manager for this account's secrets only (`sourceAccount: false` leaves that out, as
 * aws-cdk-lib's own rotation schedule does); `lockedOut` makes the secret deny writes to everyone.
 */
function rotationApp({ lockedOut = false, sourceAccount = true } = {}) {
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
  fn.addPermission('SecretsManagerInvoke', {
    principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
    ...(sourceAccount ? { sourceAccount: stack.account } : {}),
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [...ROTATION_SECRET_ACTIONS],
      resources: [secret.secretArn],
    }),
  );
  secret.encryptionKey!.grantEncryptDecrypt(fn);
  secret.addRotationSchedule('Rotation', {
    rotationLambda: lambda.Function.fromFunctionAttributes(stack, 'ByArn', {
      functionArn: fn.functionArn,
      sameEnvironment: true,
      skipPermissions: true,
    }),
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
  let anyAccount: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(rotationApp(), { Broker: 'integration' });
    bad = await evaluate(rotationApp({ lockedOut: true }), { Broker: 'integration' });
    anyAccount = await evaluate(rotationApp({ sourceAccount: false }), { Broker: 'integration' });
  });

  it('lets Secrets Manager invoke the rotation function and the function rotate the secret', () => {
    expect(decisions(ofKind(good, 'SecretRotation'))).toEqual([
      'run.rotation.broker.credentials.invoke Allowed',
      'run.rotation.broker.credentials.invoke-for-another-account ImplicitlyDenied',
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

  it('fails when the function may be invoked for the secrets of any account (the confused deputy)', () => {
    expect(decisions(ofKind(anyAccount, 'SecretRotation').filter((p) => !p.pass))).toEqual([
      'run.rotation.broker.credentials.invoke-for-another-account Allowed',
    ]);
  });
});
