import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { allowCloudWatchLogs } from '../../../../constructs/shared/key-policies';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/**
 * A vault, a table and a log group on one key; `denyOthers` makes the key deny unadmitted
 * principals, like the zone key did. `logAccess` says how the key admits CloudWatch Logs: as the zones
 * do, for log groups of another account only (a broken encryption-context condition), or not at all.
 */
function encryptedApp(
  denyOthers: boolean,
  logAccess: 'admitted' | 'elsewhere' | 'absent' = 'admitted',
) {
  const app = newApp();
  const stack = new Stack(app, 'Data');
  const key = new kms.Key(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
  if (logAccess === 'admitted') allowCloudWatchLogs(key);
  if (logAccess === 'elsewhere')
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogs',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:222222222222:log-group:*`,
          },
        },
      }),
    );
  if (denyOthers)
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUseByPrincipalsNotAdmitted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/workflow' },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  new backup.BackupVault(stack, 'Vault', { encryptionKey: key });
  new dynamodb.Table(stack, 'Ledger', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  new logs.LogGroup(stack, 'Logs', { encryptionKey: key });
  return app;
}

describe('DeployEncryptedResources', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(encryptedApp(false), { Data: 'back-office' });
    bad = await evaluate(encryptedApp(true), { Data: 'back-office' });
  });

  it('lets the execution role create the vault and the table with the key', () => {
    expect(
      decisions(
        ofKind(good, 'DeployEncryptedResources').filter((p) => p.principal.kind === 'role'),
      ),
    ).toEqual([
      'deploy.create.data.vault.creategrant Allowed',
      'deploy.create.data.vault.describekey Allowed',
      'deploy.create.data.vault.decrypt Allowed',
      'deploy.create.data.vault.generatedatakey Allowed',
      'deploy.create.data.ledger.describekey Allowed',
      'deploy.create.data.ledger.creategrant Allowed',
    ]);
  });

  it("lets CloudWatch Logs use a log group's key within the encryption context the key policy names", () => {
    const logsPaths = ofKind(good, 'DeployEncryptedResources').filter(
      (p) => p.principal.kind === 'service',
    );
    expect(decisions(logsPaths)).toEqual([
      'deploy.create.data.logs.generatedatakey Allowed',
      'deploy.create.data.logs.decrypt Allowed',
    ]);
    expect(logsPaths[0].context).toEqual({
      'kms:EncryptionContext:aws:logs:arn': expect.stringMatching(
        /^arn:aws:logs:eu-west-1:111111111111:log-group:/,
      ),
    });
    // The engine's validated entry point drops the key, so the runner has it evaluated (DEC-010).
    expect(logsPaths[0].note).toMatch(/runUnsafeSimulation.*kms:EncryptionContext:aws:logs:arn/);
    expect(good.summary).toMatchObject({ failed: 0, notEvaluated: 0 });
  });

  it("fails when a log group's key admits CloudWatch Logs only for another account's log groups", async () => {
    const report = await evaluate(encryptedApp(false, 'elsewhere'), { Data: 'back-office' });
    expect(decisions(ofKind(report, 'DeployEncryptedResources').filter((p) => !p.pass))).toEqual([
      'deploy.create.data.logs.generatedatakey ImplicitlyDenied',
      'deploy.create.data.logs.decrypt ImplicitlyDenied',
    ]);
    expect(report.summary).toMatchObject({ failed: 2, notEvaluated: 0 });
  });

  it("fails when a log group's key does not admit CloudWatch Logs", async () => {
    const report = await evaluate(encryptedApp(false, 'absent'), { Data: 'back-office' });
    expect(decisions(ofKind(report, 'DeployEncryptedResources').filter((p) => !p.pass))).toEqual([
      'deploy.create.data.logs.generatedatakey ImplicitlyDenied',
      'deploy.create.data.logs.decrypt ImplicitlyDenied',
    ]);
  });

  it('fails when the key denies the deploying role what creating the vault needs', () => {
    const failed = ofKind(bad, 'DeployEncryptedResources').filter((p) => !p.pass);
    expect(decisions(failed)).toEqual([
      'deploy.create.data.vault.decrypt ExplicitlyDenied',
      'deploy.create.data.vault.generatedatakey ExplicitlyDenied',
    ]);
    expect(failed[0].decidingStatements).toEqual([
      { policy: 'key policy of Data/Key961B73FD', sid: 'DenyUseByPrincipalsNotAdmitted' },
    ]);
  });
});
