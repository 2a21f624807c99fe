import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, idOf, slug, stacksOf } from './shared';

/**
 * AWS Backup assumes the role of each backup selection (as `backup.amazonaws.com`), backs the
 * selected DynamoDB tables up with it (`dynamodb:CreateBackup`, `dynamodb:DescribeTable`) and
 * restores them (`dynamodb:RestoreTableFromBackup` on the table's backups). No other principal
 * of the assembly may assume that role: whoever could would restore (or read) ledgers through it.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/backuprestore_IAM.html
 */
export const backup: AccessPathKind = {
  name: 'Backup',
  description:
    'AWS Backup backs up and restores every selected ledger through its role, and nobody else can use that role.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    const roles = new Set<string>();
    for (const sel of asm.ofType('AWS::Backup::BackupSelection')) {
      const roleArn = String(sel.props.BackupSelection?.IamRoleArn);
      const role = ctx.role(roleArn);
      const roleSlug = role?.resource
        ? idOf(ctx, role.resource)
        : slug(roleArn.split('/').pop() ?? 'role');
      if (!roles.has(roleArn)) {
        roles.add(roleArn);
        out.push({
          id: `run.backup.${roleSlug}.assume-role`,
          phase: 'run',
          expect: 'allow',
          kind: 'Backup',
          description: `AWS Backup assumes ${role?.resource?.where ?? roleArn}`,
          principal: { kind: 'service', service: 'backup.amazonaws.com' },
          action: 'sts:AssumeRole',
          resource: roleArn,
          stacks: stacksOf(sel, role?.resource),
        });
        for (const other of ctx.roles()) {
          if (other.arn === roleArn || !other.resource) continue;
          out.push({
            id: `deny.backup-role.${roleSlug}.assumed-by.${idOf(ctx, other.resource)}`,
            phase: 'run',
            expect: 'deny',
            kind: 'Backup',
            description: `${other.resource.where} cannot assume the backup role to restore or read ledgers through it`,
            principal: asRole(other.arn),
            action: 'sts:AssumeRole',
            resource: roleArn,
            stacks: stacksOf(other.resource, role?.resource),
          });
        }
      }
      for (const arn of (sel.props.BackupSelection?.Resources ?? []).map(String)) {
        const table = ctx.resourceByArn(arn);
        if (!table || table.type !== 'AWS::DynamoDB::Table') continue;
        const id = `run.backup.${idOf(ctx, table)}`;
        const steps: [string, string, string][] = [
          ['backs up', 'dynamodb:CreateBackup', arn],
          ['describes', 'dynamodb:DescribeTable', arn],
          [
            'restores from a backup of',
            'dynamodb:RestoreTableFromBackup',
            `${arn}/backup/01700000000000-simulated`,
          ],
        ];
        for (const [verb, action, resource] of steps)
          out.push({
            id: `${id}.${action.split(':')[1].toLowerCase()}`,
            phase: 'run',
            expect: 'allow',
            kind: 'Backup',
            description: `AWS Backup, as ${role?.name ?? roleArn}, ${verb} ${table.where}`,
            principal: asRole(roleArn),
            action,
            resource,
            stacks: stacksOf(sel, table),
          });
      }
    }
    return out;
  },
};
