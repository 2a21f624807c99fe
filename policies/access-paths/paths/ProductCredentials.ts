import type { AssemblyResource } from '../assembly';
import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, keyPaths, slug, stacksOf } from './shared';

/**
 * Each product runtime reads its own broker credentials (`secretsmanager:GetSecretValue`, and
 * `kms:Decrypt` through Secrets Manager on the secret's key), and no other consumer's.
 *
 * The must-deny side samples one outsider per runtime and per secret instead of trying every
 * pair, which would grow with the square of the products: with the products sorted by name,
 * runtime i is tried against the credentials of product i+1 (cyclically), so every runtime meets
 * one secret that is not its own and every product's secret one runtime that is not its owner;
 * every other secret of the assembly (a partner's, a product's without compute) is tried against
 * one runtime, taken in turn. One outsider suffices because each secret's deny admits named
 * principals only (the product's runtime, the rotation function's role, the deploying role):
 * every runtime it does not name meets the very same statement, so one of them answers for all.
 * A wildcard that admits other runtimes (`*-runtime`) admits the sampled one too and fails the
 * path; a runtime whose identity policy grants every secret is caught by its own sampled path.
 * A narrower pattern, admitting some outsiders but not the sampled one, would go unseen: the
 * constructs admit by exact ARN (`ConsumerCredentials`), and a pattern is a change to review.
 * What sampling alone would miss, a secret's policy naming another product's runtime by its ARN,
 * is tried as well: every runtime a secret's resource policy names, other than its owner, gets a
 * path against that secret.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export const productCredentials: AccessPathKind = {
  name: 'ProductCredentials',
  description:
    "Each product runtime reads its own broker credentials and no other consumer's: every runtime is tried against one other product's secret, and every secret against one runtime other than its owner and every runtime its policy names (each secret's deny admits named principals only, so one outsider answers for all).",
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    const secrets = asm.ofType('AWS::SecretsManager::Secret');
    const runtimes: Runtime[] = [];
    for (const product of ctx.settings.products ?? []) {
      const runtime = ctx.roleNamed(product.runtimeRoleName);
      if (!runtime?.resource) continue; // a product without compute has no runtime to deliver to
      const own = secrets.find((s) => s.props.Name === product.secretName);
      runtimes.push({
        product: product.name,
        roleName: product.runtimeRoleName,
        arn: runtime.arn,
        role: runtime.resource,
        own,
      });
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
        // Secrets Manager names the secret in the encryption context of every KMS call.
        // @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context
        ...keyPaths(
          ctx,
          base,
          runtime.arn,
          'secretsmanager',
          encryptionKeyOf(ctx, own),
          ['kms:Decrypt'],
          undefined,
          { 'kms:EncryptionContext:SecretARN': asm.arnOf(own) },
        ),
      );
    }
    for (const [runtime, secret] of outsiders(ctx, runtimes, secrets)) {
      out.push({
        id: `deny.product.${slug(runtime.product)}.reads.${slug(String(secret.props.Name ?? secret.logicalId))}`,
        phase: 'run',
        expect: 'deny',
        kind: 'ProductCredentials',
        description: `${runtime.roleName} cannot read ${secret.props.Name ?? secret.where}`,
        principal: asRole(runtime.arn),
        action: 'secretsmanager:GetSecretValue',
        resource: asm.arnOf(secret),
        stacks: stacksOf(runtime.role, secret),
      });
    }
    return out;
  },
};

interface Runtime {
  readonly product: string;
  readonly roleName: string;
  readonly arn: string;
  readonly role: AssemblyResource;
  readonly own?: AssemblyResource;
}

/**
 * The must-deny pairs, linear in the products: the ring of runtimes and their neighbours'
 * secrets, each remaining secret against one runtime in turn, and every runtime a secret's
 * resource policy names against that secret.
 */
function outsiders(
  ctx: AccessPathContext,
  runtimes: readonly Runtime[],
  secrets: readonly AssemblyResource[],
): [Runtime, AssemblyResource][] {
  if (runtimes.length === 0) return [];
  const pairs = new Map<string, [Runtime, AssemblyResource]>();
  const add = (runtime: Runtime, secret: AssemblyResource) => {
    if (runtime.own === secret) return;
    pairs.set(`${runtime.arn} ${secret.stack.stackName}/${secret.logicalId}`, [runtime, secret]);
  };
  const byName = [...runtimes].sort((a, b) =>
    a.product < b.product ? -1 : a.product > b.product ? 1 : 0,
  );
  const ring = byName.filter((r) => r.own);
  if (ring.length > 1) ring.forEach((r, i) => add(r, ring[(i + 1) % ring.length].own!));
  const owned = new Set(ring.length > 1 ? ring.map((r) => r.own) : []);
  const others = secrets.filter((s) => !owned.has(s));
  // A secret no ring member owns, against one runtime that does not own it, taken in turn.
  others.forEach((secret, i) => {
    const candidates = byName.filter((r) => r.own !== secret);
    if (candidates.length) add(candidates[i % candidates.length], secret);
  });
  // A runtime outside the ring (its secret is missing), against one secret.
  for (const r of byName.filter((x) => !x.own)) if (secrets.length) add(r, secrets[0]);
  // Every runtime a secret's policy names by ARN, other than its owner.
  const byArn = new Map(runtimes.map((r) => [r.arn, r]));
  for (const secret of secrets) {
    const policy = ctx.resourcePolicy(ctx.assembly.arnOf(secret), 'secretsmanager:GetSecretValue');
    for (const text of strings(policy?.document)) {
      const named = byArn.get(text);
      if (named) add(named, secret);
    }
  }
  return [...pairs.values()];
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
