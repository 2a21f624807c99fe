import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, encryptionKeyOf, idOf, stacksOf } from './shared';

/**
 * A CloudWatch alarm publishes to its SNS actions as `cloudwatch.amazonaws.com`, with
 * `aws:SourceArn` (the alarm) and `aws:SourceAccount`. A topic policy replaces SNS's default
 * policy, so it must allow that; an encrypted topic's key must let CloudWatch
 * `kms:GenerateDataKey` and `kms:Decrypt`, which SNS asks for with the encryption context
 * `aws:sns:topicArn`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const alarmNotifications: AccessPathKind = {
  name: 'AlarmNotifications',
  description:
    'Every CloudWatch alarm publishes to its SNS topic, through the topic policy and the topic key.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const alarm of asm.ofType('AWS::CloudWatch::Alarm')) {
      const actions = [
        ...(alarm.props.AlarmActions ?? []),
        ...(alarm.props.OKActions ?? []),
        ...(alarm.props.InsufficientDataActions ?? []),
      ];
      for (const topicArn of new Set(actions.map(String))) {
        const topic = ctx.resourceByArn(topicArn);
        if (!topic || topic.type !== 'AWS::SNS::Topic') continue;
        const principal = {
          kind: 'service' as const,
          service: 'cloudwatch.amazonaws.com',
          sourceArn: asm.arnOf(alarm),
          sourceAccount: asm.accountOf(alarm.stack),
        };
        const id = `run.alarm.${idOf(ctx, alarm)}.${idOf(ctx, topic)}`;
        const stacks = stacksOf(alarm, topic);
        out.push({
          id: `${id}.publish`,
          phase: 'run',
          expect: 'allow',
          kind: 'AlarmNotifications',
          description: `CloudWatch publishes the alarm ${alarm.where} to ${topic.where}`,
          principal,
          action: 'sns:Publish',
          resource: topicArn,
          stacks,
        });
        const key = encryptionKeyOf(ctx, topic);
        if (key)
          for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
            out.push({
              id: `${id}.${action.split(':')[1].toLowerCase()}`,
              phase: 'run',
              expect: 'allow',
              kind: 'AlarmNotifications',
              description: `CloudWatch uses the key of ${topic.where} for the alarm ${alarm.where} (${action})`,
              principal,
              action,
              resource: key,
              context: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn },
              stacks: stacksOf(alarm, topic, ctx.resourceByArn(key)),
            });
      }
    }
    return out;
  },
};
