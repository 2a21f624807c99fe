import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import type { AssemblyResource } from '../assembly';
import { AccessPathKind, asRole, idOf, stacksOf } from './shared';

/**
 * CloudFormation writes every resource policy we declare, and writes it again on every update,
 * as the execution role: a policy that denies its own update to that role cannot be changed
 * again by a deploy. The action each type's handler calls is in the CloudFormation resource
 * provider schema of the type (its `handlers.update.permissions`).
 * @see https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html
 */
export const deployResourcePolicies: AccessPathKind = {
  name: 'DeployResourcePolicies',
  description:
    'The CloudFormation execution role may update every key, queue, table, secret, topic, vault and bucket policy.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    const add = (owner: AssemblyResource, target: AssemblyResource | undefined, action: string) => {
      if (!target) return;
      out.push({
        id: `deploy.update-policy.${idOf(ctx, target)}`,
        phase: 'deploy',
        expect: 'allow',
        kind: 'DeployResourcePolicies',
        principalZone: target.stack.zone,
        description: `CloudFormation, as the execution role, updates the policy of ${target.where} (${owner.type})`,
        principal: asRole(ctx.executionRoleArnFor(owner.stack)),
        action,
        resource: asm.arnOf(target),
        stacks: stacksOf(owner, target),
      });
    };
    const byRef = (type: string, ref: unknown) =>
      asm.ofType(type).find((x) => asm.refOf(x) === ref);
    for (const k of asm.ofType('AWS::KMS::Key')) add(k, k, 'kms:PutKeyPolicy');
    for (const t of asm.ofType('AWS::DynamoDB::Table'))
      if (t.props.ResourcePolicy) add(t, t, 'dynamodb:PutResourcePolicy');
    for (const v of asm.ofType('AWS::Backup::BackupVault'))
      if (v.props.AccessPolicy) add(v, v, 'backup:PutBackupVaultAccessPolicy');
    for (const p of asm.ofType('AWS::SQS::QueuePolicy'))
      for (const q of p.props.Queues ?? [])
        add(p, byRef('AWS::SQS::Queue', q), 'sqs:SetQueueAttributes');
    for (const p of asm.ofType('AWS::SNS::TopicPolicy'))
      for (const t of p.props.Topics ?? [])
        add(p, byRef('AWS::SNS::Topic', t), 'sns:SetTopicAttributes');
    for (const p of asm.ofType('AWS::SecretsManager::ResourcePolicy'))
      add(
        p,
        byRef('AWS::SecretsManager::Secret', p.props.SecretId),
        'secretsmanager:PutResourcePolicy',
      );
    for (const p of asm.ofType('AWS::S3::BucketPolicy'))
      add(p, byRef('AWS::S3::Bucket', p.props.Bucket), 's3:PutBucketPolicy');
    return out;
  },
};
