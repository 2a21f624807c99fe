import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, stacksOf } from './shared';

/**
 * What creating a resource encrypted with a customer managed key asks of KMS, by type, as each
 * service documents it:
 * - a DynamoDB table: the creator's `kms:DescribeKey` and `kms:CreateGrant` through DynamoDB
 *   ([DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html));
 * - a Backup vault: the creator's `kms:CreateGrant`, `kms:DescribeKey`, `kms:Decrypt` and
 *   `kms:GenerateDataKey` ([create a vault](https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html));
 * - a secret: the creator's `kms:GenerateDataKey` and `kms:Decrypt` through Secrets Manager, which
 *   encrypts the first value with them ([secret encryption](https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html));
 * - a log group: CloudWatch Logs itself (`logs.<region>.amazonaws.com`) encrypting and decrypting
 *   with the log group's ARN as encryption context ([encrypt log data](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)).
 * SQS queues and SNS topics call KMS only when a message is sent or read; those paths are the
 * run-time kinds'.
 */
export const deployEncryptedResources: AccessPathKind = {
  name: 'DeployEncryptedResources',
  description:
    'Creating every resource encrypted with a customer managed key gets the KMS operations its service needs.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const paths: AccessPath[] = [];
    const plan: Record<string, { via: string; actions: string[] }> = {
      'AWS::DynamoDB::Table': { via: 'dynamodb', actions: ['kms:DescribeKey', 'kms:CreateGrant'] },
      'AWS::Backup::BackupVault': {
        via: 'backup',
        actions: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey'],
      },
      'AWS::SecretsManager::Secret': {
        via: 'secretsmanager',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      },
    };
    for (const r of asm.resources) {
      const key = encryptionKeyOf(ctx, r);
      if (!key) continue;
      const exec = ctx.executionRoleArnFor(r.stack);
      const keyResource = ctx.resourceByArn(key);
      if (r.type === 'AWS::Logs::LogGroup') {
        const arn = asm.arnOf(r).replace(/:\*$/, '');
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          paths.push({
            id: `deploy.create.${idOf(ctx, r)}.${action.split(':')[1].toLowerCase()}`,
            phase: 'deploy',
            expect: 'allow',
            kind: 'DeployEncryptedResources',
            description: `CloudWatch Logs uses the key of the log group ${r.where} (${action})`,
            principal: { kind: 'service', service: `logs.${asm.regionOf(r.stack)}.amazonaws.com` },
            action,
            resource: key,
            context: { 'kms:EncryptionContext:aws:logs:arn': arn },
            stacks: stacksOf(r, keyResource),
          });
        }
        continue;
      }
      const spec = plan[r.type];
      if (!spec) continue;
      for (const action of spec.actions) {
        paths.push({
          id: `deploy.create.${idOf(ctx, r)}.${action.split(':')[1].toLowerCase()}`,
          phase: 'deploy',
          expect: 'allow',
          kind: 'DeployEncryptedResources',
          principalZone: r.stack.zone,
          description: `CloudFormation, as the execution role, creates ${r.where} (${r.type}) with its key (${action} through ${spec.via})`,
          principal: asRole(exec, spec.via),
          action,
          resource: key,
          stacks: stacksOf(r, keyResource),
        });
      }
    }
    return paths;
  },
};
