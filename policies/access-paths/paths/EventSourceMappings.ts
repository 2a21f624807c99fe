import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, keyPaths, stacksOf } from './shared';

/**
 * Lambda polls an SQS event source with the function's execution role: it needs
 * `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on the queue, and
 * `kms:Decrypt` on a customer managed key of the queue.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export const eventSourceMappings: AccessPathKind = {
  name: 'EventSourceMappings',
  description: "Lambda's event source mappings read their queues with the function's role.",
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const esm of asm.ofType('AWS::Lambda::EventSourceMapping')) {
      const queue = ctx.resourceByArn(String(esm.props.EventSourceArn));
      if (!queue || queue.type !== 'AWS::SQS::Queue') continue;
      const fn = asm
        .ofType('AWS::Lambda::Function')
        .find(
          (f) => asm.refOf(f) === esm.props.FunctionName || asm.arnOf(f) === esm.props.FunctionName,
        );
      if (!fn) continue;
      const roleArn = String(fn.props.Role);
      const base = {
        id: `run.event-source.${idOf(ctx, fn)}.${idOf(ctx, queue)}`,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'EventSourceMappings',
        description: `Lambda reads ${queue.where} for ${fn.where} with the function's role`,
        stacks: stacksOf(esm, fn, queue),
      };
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
        out.push({
          ...base,
          id: `${base.id}.${action.split(':')[1].toLowerCase()}`,
          principal: asRole(roleArn),
          action,
          resource: asm.arnOf(queue),
        });
      out.push(
        ...keyPaths(ctx, base, roleArn, 'sqs', encryptionKeyOf(ctx, queue), ['kms:Decrypt']),
      );
    }
    return out;
  },
};
