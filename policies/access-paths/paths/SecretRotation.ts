import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, keyPaths, stacksOf } from './shared';

/**
 * What a rotation function does to its secret, in the order the paths list them.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
export const ROTATION_SECRET_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

/** An account outside the enterprise, whose secrets must not reach a rotation function. */
export const ANOTHER_ACCOUNT = '999999999999';

/**
 * Secrets Manager invokes each secret's rotation function (as `secretsmanager.amazonaws.com`,
 * through the function's resource policy, with `aws:SourceAccount` the secret's account, which
 * AWS recommends the policy require against the confused deputy; so Secrets Manager rotating a
 * secret of another account must not invoke it), and the function, as its role, reads, writes and
 * re-stages the secret (`GetSecretValue`, `PutSecretValue`, `DescribeSecret`,
 * `UpdateSecretVersionStage`) with `kms:Decrypt` and `kms:GenerateDataKey` on its key.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
export const secretRotation: AccessPathKind = {
  name: 'SecretRotation',
  description: 'Secrets Manager invokes each rotation function, which rotates its secret.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const schedule of asm.ofType('AWS::SecretsManager::RotationSchedule')) {
      const fnArn = schedule.props.RotationLambdaARN
        ? String(schedule.props.RotationLambdaARN)
        : undefined;
      const secret = ctx.resourceByArn(String(schedule.props.SecretId));
      const fn = fnArn ? ctx.resourceByArn(fnArn) : undefined;
      if (!fnArn || !secret || !fn) continue;
      const id = `run.rotation.${idOf(ctx, secret)}`;
      out.push({
        id: `${id}.invoke`,
        phase: 'run',
        expect: 'allow',
        kind: 'SecretRotation',
        description: `Secrets Manager invokes ${fn.where} to rotate ${secret.where}`,
        principal: {
          kind: 'service',
          service: 'secretsmanager.amazonaws.com',
          sourceAccount: asm.accountOf(secret.stack),
        },
        action: 'lambda:InvokeFunction',
        resource: fnArn,
        stacks: stacksOf(schedule, fn),
      });
      out.push({
        id: `${id}.invoke-for-another-account`,
        phase: 'run',
        expect: 'deny',
        kind: 'SecretRotation',
        description: `Secrets Manager rotating a secret of another account (${ANOTHER_ACCOUNT}) cannot invoke ${fn.where}`,
        principal: {
          kind: 'service',
          service: 'secretsmanager.amazonaws.com',
          sourceAccount: ANOTHER_ACCOUNT,
        },
        action: 'lambda:InvokeFunction',
        resource: fnArn,
        stacks: stacksOf(schedule, fn),
      });
      const roleArn = String(fn.props.Role);
      const base = {
        id,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'SecretRotation',
        description: `${fn.where} rotates ${secret.where}`,
        stacks: stacksOf(fn, secret),
      };
      for (const action of ROTATION_SECRET_ACTIONS)
        out.push({
          ...base,
          id: `${id}.${action.split(':')[1].toLowerCase()}`,
          principal: asRole(roleArn),
          action,
          resource: asm.arnOf(secret),
        });
      out.push(
        ...keyPaths(ctx, base, roleArn, 'secretsmanager', encryptionKeyOf(ctx, secret), [
          'kms:Decrypt',
          'kms:GenerateDataKey',
        ]),
      );
    }
    return out;
  },
};
