import { runSimulation } from '@cloud-copilot/iam-simulate';
import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ZoneBackup, ZoneBackupProps } from '../../../constructs/back-office/zone-backup';
import { testApp } from '../../helpers';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;

/** A zone backup in a stack with a concrete environment, so its policies resolve to literals. */
function zoneBackup(admitted?: string[]) {
  const stack = new Stack(testApp(), 'Backups', { env: { account: ACCOUNT, region: REGION } });
  const zone = new ZoneBackup(stack, 'Backup', {
    encryptionKey: new kms.Key(stack, 'Key'),
    admittedPrincipalArns: admitted,
  });
  const table = new dynamodb.Table(stack, 'Ledger', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  zone.add('Ledgers', backup.BackupResource.fromDynamoDbTable(table));
  const vaultName = stack.resolve(zone.vault.backupVaultName) as string;
  const accessPolicy = stack.resolve(
    (zone.vault.node.defaultChild as backup.CfnBackupVault).accessPolicy,
  );
  return { vaultName, accessPolicy };
}

/**
 * What AWS would decide, by the IAM engine: a principal whose own policy allows `backup:*` calls
 * `action` on the vault, under the vault's access policy.
 */
async function decision(principal: string, action: string, vault: ReturnType<typeof zoneBackup>) {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: {
          resource: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${vault.vaultName}`,
          accountId: ACCOUNT,
        },
        // What AWS puts in every signed request by a role's session.
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': ACCOUNT,
          'aws:PrincipalType': 'AssumedRole',
        },
      },
      identityPolicies: [
        {
          name: 'backup-admin',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'backup:*', Resource: '*' }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: vault.accessPolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const VAULT_CHANGES = [
  'backup:DeleteBackupVault',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultLockConfiguration',
];

describe('ZoneBackup vault access policy (simulated with the IAM engine)', () => {
  const vault = zoneBackup([DEPLOYER]);

  test('fails when anyone but the deploying role may delete the vault or change its policy or lock', async () => {
    for (const action of VAULT_CHANGES)
      expect({ action, decision: await decision(ADMIN, action, vault) }).toEqual({
        action,
        decision: 'ExplicitlyDenied',
      });
  });

  test('the deploying role may update the policy and remove the vault of a failed first deploy', async () => {
    for (const action of VAULT_CHANGES)
      expect({ action, decision: await decision(DEPLOYER, action, vault) }).toEqual({
        action,
        decision: 'Allowed',
      });
  });

  test('nobody may delete or shorten recovery points, the deploying role included', async () => {
    for (const principal of [ADMIN, DEPLOYER])
      for (const action of ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'])
        expect(await decision(principal, action, vault)).toBe('ExplicitlyDenied');
  });

  test('without admitted principals, nobody may change the vault', async () => {
    const locked = zoneBackup();
    expect(await decision(DEPLOYER, 'backup:PutBackupVaultAccessPolicy', locked)).toBe(
      'ExplicitlyDenied',
    );
  });

  test('the plan is named as told, and the vault and plan survive updates and deletes, but not a failed first deploy', () => {
    const stack = new Stack(testApp(), 'Named');
    const zone = new ZoneBackup(stack, 'Backup', {
      encryptionKey: new kms.Key(stack, 'Key'),
      planName: 'acme-dev-back-office',
    });
    zone.add(
      'Ledgers',
      backup.BackupResource.fromArn(
        stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: 't' }),
      ),
    );
    const template = stack.resolve(
      (zone.plan.node.defaultChild as backup.CfnBackupPlan).backupPlan,
    );
    expect(template.backupPlanName).toBe('acme-dev-back-office');
    for (const resource of [zone.vault, zone.plan]) {
      const cfn = resource.node.defaultChild as backup.CfnBackupVault;
      expect([cfn.cfnOptions.deletionPolicy, cfn.cfnOptions.updateReplacePolicy]).toEqual([
        'RetainExceptOnCreate',
        'Retain',
      ]);
    }
  });
});

describe('ZoneBackup checks its props', () => {
  function build(props: Omit<ZoneBackupProps, 'encryptionKey'>) {
    const stack = new Stack(testApp(), 'Checked');
    return () =>
      new ZoneBackup(stack, 'Backup', { encryptionKey: new kms.Key(stack, 'Key'), ...props });
  }

  test('fails when a retention is shorter than a day', () => {
    expect(build({ dailyRetentionDays: 0 })).toThrow(
      'Checked/Backup: dailyRetentionDays must be a whole number of days, at least 1 (received: 0)',
    );
  });

  test('fails when the vault lock asks more than the daily retention keeps', () => {
    expect(build({ dailyRetentionDays: 10, vaultLock: { minRetentionDays: 30 } })).toThrow(
      'Checked/Backup: vaultLock.minRetentionDays must not exceed dailyRetentionDays (10), or the vault refuses the daily backups (received: 30)',
    );
  });

  test('fails when the vault lock caps retention below the monthly retention', () => {
    expect(build({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 100 } })).toThrow(
      'Checked/Backup: vaultLock.maxRetentionDays must be at least monthlyRetentionDays (365), or the vault refuses the monthly backups (received: 100)',
    );
  });

  test('fails when the vault lock could become immutable in under three days', () => {
    expect(build({ vaultLock: { minRetentionDays: 7, changeableForDays: 1 } })).toThrow(
      'Checked/Backup: vaultLock.changeableForDays must be a whole number of days, at least 3 (received: 1)',
    );
  });

  test('fails when the plan name has characters AWS Backup refuses', () => {
    expect(build({ planName: 'back office' })).toThrow(
      'Checked/Backup: planName must be 1 to 50 letters, digits, hyphens, underscores or periods (received: "back office")',
    );
  });

  test('lists every problem at once', () => {
    expect(build({ dailyRetentionDays: 0, monthlyRetentionDays: 1.5 })).toThrow(
      /dailyRetentionDays .* \(received: 0\)\nChecked\/Backup: monthlyRetentionDays .* \(received: 1\.5\)/,
    );
  });

  test('leaves values known only at deploy time to AWS Backup', () => {
    const stack = new Stack(testApp(), 'Tokens');
    const days = Token.asNumber(new CfnParameter(stack, 'Days', { type: 'Number' }));
    expect(
      () =>
        new ZoneBackup(stack, 'Backup', {
          encryptionKey: new kms.Key(stack, 'Key'),
          dailyRetentionDays: days,
          vaultLock: { minRetentionDays: 400 },
        }),
    ).not.toThrow();
  });
});
