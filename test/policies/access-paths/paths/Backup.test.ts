import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A table in a backup plan with its own role; `trustAccount` lets the account's roles assume it too. */
function backupApp(trustAccount: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'BackOffice');
  const table = new dynamodb.Table(stack, 'Ledger', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });
  const role = new iam.Role(stack, 'BackupRole', {
    assumedBy: trustAccount
      ? new iam.CompositePrincipal(
          new iam.ServicePrincipal('backup.amazonaws.com'),
          new iam.AccountRootPrincipal(),
        )
      : new iam.ServicePrincipal('backup.amazonaws.com'),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName(
        'service-role/AWSBackupServiceRolePolicyForBackup',
      ),
      iam.ManagedPolicy.fromAwsManagedPolicyName(
        'service-role/AWSBackupServiceRolePolicyForRestores',
      ),
    ],
  });
  const plan = backup.BackupPlan.daily35DayRetention(stack, 'Plan');
  plan.addSelection('Ledgers', {
    resources: [backup.BackupResource.fromDynamoDbTable(table)],
    role,
  });
  const it = new Stack(app, 'It');
  const other = new iam.Role(it, 'Reporting', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  other.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] }));
  return app;
}

describe('Backup', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(backupApp(false), { BackOffice: 'back-office', It: 'integration' });
    bad = await evaluate(backupApp(true), { BackOffice: 'back-office', It: 'integration' });
  });

  it('lets AWS Backup assume its role, back the ledger up and restore it, and nobody else use the role', () => {
    expect(decisions(ofKind(good, 'Backup'))).toEqual([
      'run.backup.backoffice.backuprole.assume-role Allowed',
      'deny.backup-role.backoffice.backuprole.assumed-by.it.reporting ImplicitlyDenied',
      'run.backup.backoffice.ledger.createbackup Allowed',
      'run.backup.backoffice.ledger.describetable Allowed',
      'run.backup.backoffice.ledger.restoretablefrombackup Allowed',
    ]);
    expect(good.summary.failed).toBe(0);
  });

  it('fails when another role of the account can assume the backup role', () => {
    expect(decisions(ofKind(bad, 'Backup').filter((p) => !p.pass))).toEqual([
      'deny.backup-role.backoffice.backuprole.assumed-by.it.reporting Allowed',
    ]);
  });
});
