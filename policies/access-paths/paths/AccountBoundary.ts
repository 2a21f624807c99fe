import type { AssemblyResource } from '../assembly';
import type { AccessPathContext } from '../evaluate';
import type { AccessPath, AccessPathZone } from '../model';
import { AccessPathKind, asRole, idOf, slug, stacksOf } from './shared';

/** What crossing into a back-office resource means, per type. */
const BACK_OFFICE_ACTIONS: Record<string, string> = {
  'AWS::DynamoDB::Table': 'dynamodb:GetItem',
  'AWS::SQS::Queue': 'sqs:SendMessage',
  'AWS::KMS::Key': 'kms:Decrypt',
};

/**
 * When the zones are in several accounts (DEC-036), the door crosses accounts, and only the door
 * may: each admission names the admitted role's account as well as its name. For every account of
 * the assembly, an administrator there who creates a role with the name of one the door admits
 * elsewhere (a broker integration role, a product's runtime, with AdministratorAccess) is refused:
 * - on every back-office queue, ledger and the zone key, from every account but the integration
 *   account (and the back office's own);
 * - on each product's credentials secret, from every account but the product's;
 * - on each parameter the broker shares through AWS RAM, from every account the share does not
 *   name (a cross-account read needs the parameter's resource policy, which only the share writes).
 * With the zones in one account there are no other accounts, and no paths.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export const accountBoundary: AccessPathKind = {
  name: 'AccountBoundary',
  description:
    'Across accounts only the door crosses: a role named like a broker integration role or a product runtime, made by an administrator of another account, reaches no back-office resource, no credentials and no shared parameter.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const zonesByAccount = new Map<string, Set<AccessPathZone | undefined>>();
    for (const stack of asm.stacks) {
      const account = asm.accountOf(stack);
      zonesByAccount.set(account, (zonesByAccount.get(account) ?? new Set()).add(stack.zone));
    }
    if (zonesByAccount.size < 2) return [];
    const zoneOf = (account: string) => {
      const zones = [...(zonesByAccount.get(account) ?? [])];
      return zones.includes('front-office') ? 'front-office' : zones.find((z) => z !== undefined);
    };
    const impostor = (account: string, name: string) =>
      ctx.impostor(`arn:${asm.partition}:iam::${account}:role/${name}`, zoneOf(account));
    const out: AccessPath[] = [];
    const push = (
      account: string,
      name: string,
      target: AssemblyResource,
      action: string,
      why: string,
    ) =>
      out.push({
        id: `deny.account.${account}.${slug(name)}.${idOf(ctx, target)}.${action.split(':')[1].toLowerCase()}`,
        phase: 'run',
        expect: 'deny',
        kind: 'AccountBoundary',
        description: `A role named ${name} in account ${account} (${zoneOf(account) ?? 'no zone'}), made by its administrator, cannot ${action} on ${target.where}: ${why}`,
        principal: asRole(impostor(account, name)),
        action,
        resource: asm.arnOf(target),
        stacks: stacksOf(target),
      });

    // The back office admits the broker's integration roles of the integration account only.
    const integrationRoles = ctx.settings.integrationRoleNames
      .map((n) => ctx.roleNamed(n))
      .filter((r) => r !== undefined);
    const integrationAccounts = new Set(integrationRoles.map((r) => r.arn.split(':')[4]));
    for (const target of asm.resources) {
      const action = BACK_OFFICE_ACTIONS[target.type];
      if (target.stack.zone !== 'back-office' || !action) continue;
      const own = asm.accountOf(target.stack);
      for (const account of zonesByAccount.keys()) {
        if (account === own || integrationAccounts.has(account)) continue;
        // The name that resource admits: its capability's integration role (the key admits all).
        const arn = asm.arnOf(target);
        const role =
          integrationRoles.find((r) => arn.includes(`-${r.name.split('-broker-').pop()}-`)) ??
          integrationRoles[0];
        if (role)
          push(
            account,
            role.name,
            target,
            action,
            'the back office admits that name in the integration account only',
          );
      }
    }
    // A product's credentials are admitted to its runtime in the product's account only.
    for (const product of ctx.settings.products ?? []) {
      const runtime = ctx.roleNamed(product.runtimeRoleName);
      const secret = asm
        .ofType('AWS::SecretsManager::Secret')
        .find((s) => s.props.Name === product.secretName);
      if (!runtime?.resource || !secret) continue;
      const home = runtime.arn.split(':')[4];
      for (const account of zonesByAccount.keys()) {
        if (account === home || account === asm.accountOf(secret.stack)) continue;
        push(
          account,
          product.runtimeRoleName,
          secret,
          'secretsmanager:GetSecretValue',
          `the secret admits ${product.name}'s runtime in its own account only`,
        );
      }
    }
    // What the broker shares is read by the accounts the share names, and no other.
    for (const share of asm.ofType('AWS::RAM::ResourceShare')) {
      const principals = new Set((share.props.Principals ?? []).map(String));
      for (const arn of (share.props.ResourceArns ?? []).map(String)) {
        const parameter = ctx.resourceByArn(arn);
        if (!parameter || parameter.type !== 'AWS::SSM::Parameter') continue;
        for (const account of zonesByAccount.keys()) {
          if (principals.has(account) || account === asm.accountOf(parameter.stack)) continue;
          push(
            account,
            'reader',
            parameter,
            'ssm:GetParameters',
            'the AWS RAM share names other accounts',
          );
        }
      }
    }
    return out;
  },
};
