import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, keyPaths, slug, stacksOf } from './shared';

/**
 * A capability's maintainer role writes its ledgers outside the order flow (the catalogue's
 * items): `dynamodb:PutItem`, `dynamodb:UpdateItem`, `dynamodb:DeleteItem` and
 * `dynamodb:BatchWriteItem`, with `kms:Decrypt` through DynamoDB on a customer managed key.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
 */
export const maintainer: AccessPathKind = {
  name: 'Maintainer',
  description: "Each capability's maintainer role writes the capability's ledgers.",
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const m of ctx.settings.maintainers ?? []) {
      // The blueprint declares a capability's maintainers; the role exists only then.
      const role = ctx.roleNamed(m.roleName)?.resource;
      if (!role) continue;
      const arn = asm.roleArn(m.roleName);
      for (const tableName of m.tableNames) {
        const table = asm.ofType('AWS::DynamoDB::Table').find((t) => asm.refOf(t) === tableName);
        if (!table) continue;
        const base = {
          id: `run.maintainer.${slug(m.capability)}.${slug(tableName)}`,
          phase: 'run' as const,
          expect: 'allow' as const,
          kind: 'Maintainer',
          description: `${m.roleName} maintains ${tableName}`,
          stacks: stacksOf(role, table),
        };
        for (const action of [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ])
          out.push({
            ...base,
            id: `${base.id}.${action.split(':')[1].toLowerCase()}`,
            principal: asRole(arn),
            action,
            resource: asm.arnOf(table),
          });
        out.push(
          ...keyPaths(ctx, base, arn, 'dynamodb', encryptionKeyOf(ctx, table), ['kms:Decrypt']),
        );
      }
    }
    return out;
  },
};
