import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, keyPaths, stacksOf } from './shared';

/**
 * The back office's operator role reads each dead-letter queue and redrives it to its source:
 * on the dead-letter queue `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes`,
 * `sqs:StartMessageMoveTask` and `kms:Decrypt`; on the source queue `sqs:SendMessage` with
 * `kms:GenerateDataKey` and `kms:Decrypt`. A blueprint without operators has no operator role and
 * no such path.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
export const operator: AccessPathKind = {
  name: 'Operator',
  description: 'The operator role reads and redrives every dead-letter queue.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const name = ctx.settings.operatorRoleName;
    if (!name) return [];
    // The blueprint declares who operates the back office; the role exists only then.
    const operatorRole = ctx.roleNamed(name)?.resource;
    if (!operatorRole) return [];
    const arn = asm.roleArn(name);
    const out: AccessPath[] = [];
    for (const source of asm.ofType('AWS::SQS::Queue')) {
      const dlqArn = source.props.RedrivePolicy?.deadLetterTargetArn;
      const dlq = dlqArn ? ctx.resourceByArn(String(dlqArn)) : undefined;
      if (!dlq) continue;
      const id = `run.operator.${idOf(ctx, dlq)}`;
      const onDlq = {
        id: `${id}.read`,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'Operator',
        description: `${name} reads and redrives ${dlq.where}`,
        stacks: stacksOf(operatorRole, dlq),
      };
      for (const action of [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:StartMessageMoveTask',
      ])
        out.push({
          ...onDlq,
          id: `${id}.${action.split(':')[1].toLowerCase()}`,
          principal: asRole(arn),
          action,
          resource: asm.arnOf(dlq),
        });
      out.push(...keyPaths(ctx, onDlq, arn, 'sqs', encryptionKeyOf(ctx, dlq), ['kms:Decrypt']));
      const back = {
        id: `${id}.redrive-to.${idOf(ctx, source)}`,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'Operator',
        description: `${name} moves messages from ${dlq.where} back to ${source.where}`,
        stacks: stacksOf(operatorRole, source),
      };
      out.push({
        ...back,
        id: `${back.id}.sendmessage`,
        principal: asRole(arn),
        action: 'sqs:SendMessage',
        resource: asm.arnOf(source),
      });
      out.push(
        ...keyPaths(ctx, back, arn, 'sqs', encryptionKeyOf(ctx, source), [
          'kms:GenerateDataKey',
          'kms:Decrypt',
        ]),
      );
    }
    return out;
  },
};
