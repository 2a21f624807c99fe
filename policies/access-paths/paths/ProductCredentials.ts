import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, keyPaths, slug, stacksOf } from './shared';

/**
 * Each product runtime reads its own broker credentials (`secretsmanager:GetSecretValue`, and
 * `kms:Decrypt` through Secrets Manager on the secret's key), and no other consumer's.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export const productCredentials: AccessPathKind = {
  name: 'ProductCredentials',
  description: "Each product runtime reads its own broker credentials and no other consumer's.",
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    const secrets = asm.ofType('AWS::SecretsManager::Secret');
    for (const product of ctx.settings.products ?? []) {
      const runtime = ctx.roleNamed(product.runtimeRoleName);
      if (!runtime?.resource) continue; // a product without compute has no runtime to deliver to
      const own = secrets.find((s) => s.props.Name === product.secretName);
      const id = `run.product.${slug(product.name)}`;
      if (!own) {
        out.push({
          id: `${id}.read-credentials`,
          phase: 'run',
          expect: 'allow',
          kind: 'ProductCredentials',
          description: `${product.runtimeRoleName} reads its broker credentials ${product.secretName}, which no template creates`,
          principal: asRole(runtime.arn),
          action: 'secretsmanager:GetSecretValue',
          resource: asm.arn('secretsmanager', `secret:${product.secretName}-??????`),
          stacks: stacksOf(runtime.resource),
        });
        continue;
      }
      const base = {
        id: `${id}.read-credentials`,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'ProductCredentials',
        description: `${product.runtimeRoleName} reads its broker credentials ${product.secretName}`,
        stacks: stacksOf(runtime.resource, own),
      };
      out.push({
        ...base,
        principal: asRole(runtime.arn),
        action: 'secretsmanager:GetSecretValue',
        resource: asm.arnOf(own),
      });
      out.push(
        ...keyPaths(ctx, base, runtime.arn, 'secretsmanager', encryptionKeyOf(ctx, own), [
          'kms:Decrypt',
        ]),
      );
      for (const other of secrets) {
        if (other === own) continue;
        out.push({
          id: `deny.product.${slug(product.name)}.reads.${slug(String(other.props.Name ?? other.logicalId))}`,
          phase: 'run',
          expect: 'deny',
          kind: 'ProductCredentials',
          description: `${product.runtimeRoleName} cannot read ${other.props.Name ?? other.where}`,
          principal: asRole(runtime.arn),
          action: 'secretsmanager:GetSecretValue',
          resource: asm.arnOf(other),
          stacks: stacksOf(runtime.resource, other),
        });
      }
    }
    return out;
  },
};
