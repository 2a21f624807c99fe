import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, keyPaths, slug, stacksOf } from './shared';

/**
 * A back-office function is told in its environment which ledgers it writes and which queue it
 * sends refused messages to; it must be able to: `dynamodb:GetItem`, `dynamodb:PutItem` and
 * `dynamodb:UpdateItem` on each table (with `kms:Decrypt` through DynamoDB for a customer managed
 * key), `sqs:SendMessage` on each queue (with `kms:GenerateDataKey` and `kms:Decrypt` through SQS).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export const functionResources: AccessPathKind = {
  name: 'FunctionResources',
  description:
    'Each back-office workflow writes the ledgers and sends to the queues its environment names.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const fn of asm.ofType('AWS::Lambda::Function')) {
      if (fn.stack.zone !== 'back-office') continue;
      const roleArn = String(fn.props.Role);
      const vars: Record<string, unknown> = fn.props.Environment?.Variables ?? {};
      for (const [name, value] of Object.entries(vars)) {
        const table = asm.ofType('AWS::DynamoDB::Table').find((t) => asm.refOf(t) === value);
        const queue = asm.ofType('AWS::SQS::Queue').find((q) => asm.refOf(q) === value);
        const target = table ?? queue;
        if (!target) continue;
        const base = {
          id: `run.function.${idOf(ctx, fn)}.${slug(name)}`,
          phase: 'run' as const,
          expect: 'allow' as const,
          kind: 'FunctionResources',
          description: `${fn.where} uses ${target.where} (its ${name})`,
          stacks: stacksOf(fn, target),
        };
        const actions = table
          ? ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']
          : ['sqs:SendMessage'];
        for (const action of actions)
          out.push({
            ...base,
            id: `${base.id}.${action.split(':')[1].toLowerCase()}`,
            principal: asRole(roleArn),
            action,
            resource: asm.arnOf(target),
          });
        out.push(
          ...keyPaths(
            ctx,
            base,
            roleArn,
            table ? 'dynamodb' : 'sqs',
            encryptionKeyOf(ctx, target),
            table ? ['kms:Decrypt'] : ['kms:GenerateDataKey', 'kms:Decrypt'],
          ),
        );
      }
    }
    return out;
  },
};
