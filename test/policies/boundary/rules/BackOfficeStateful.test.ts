import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { findings, zonedApp } from '../fixtures';

const table = (scope: Construct, id: string, props: Partial<dynamodb.TableProps> = {}) =>
  new dynamodb.Table(scope, id, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });

describe('B9 BackOfficeRetain', () => {
  test('fails when a back-office table, bucket or key would be destroyed with its stack', () => {
    const { app, back } = zonedApp();
    table(back, 'Ledger', { removalPolicy: RemovalPolicy.DESTROY });
    new s3.Bucket(back, 'Invoices', { removalPolicy: RemovalPolicy.DESTROY });
    new kms.Key(back, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
    expect(findings(app, 'B9').map((f) => `${f.path} ${f.id}`)).toEqual([
      'OfficeZones-test-BackOffice/Invoices/Resource OfficeZonesBoundary-B9[DeletionPolicy]',
      'OfficeZones-test-BackOffice/Key/Resource OfficeZonesBoundary-B9[DeletionPolicy]',
      'OfficeZones-test-BackOffice/Ledger/Resource OfficeZonesBoundary-B9[DeletionPolicy]',
      'OfficeZones-test-BackOffice/Invoices/Resource OfficeZonesBoundary-B9[UpdateReplacePolicy]',
      'OfficeZones-test-BackOffice/Key/Resource OfficeZonesBoundary-B9[UpdateReplacePolicy]',
      'OfficeZones-test-BackOffice/Ledger/Resource OfficeZonesBoundary-B9[UpdateReplacePolicy]',
    ]);
  });

  test('fails for an L1 table without a deletion policy', () => {
    const { app, back } = zonedApp();
    new dynamodb.CfnTable(back, 'Raw', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      deletionProtectionEnabled: true,
    });
    expect(findings(app, 'B9').map((f) => f.path)).toEqual([
      'OfficeZones-test-BackOffice/Raw',
      'OfficeZones-test-BackOffice/Raw',
    ]);
  });

  test('passes ledgers kept with RetainExceptOnCreate, which a failed first deploy may remove', () => {
    const { app, back } = zonedApp();
    table(back, 'Ledger', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    new backup.BackupVault(back, 'Vault', {
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    expect(findings(app, 'B9')).toEqual([]);
  });

  test('passes retained back-office resources and front-office tables that are not', () => {
    const { app, back, front } = zonedApp();
    table(back, 'Ledger');
    table(front, 'Cart', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    expect(findings(app, 'B9')).toEqual([]);
  });
});

describe('B10 BackOfficeDeletionProtection', () => {
  test('fails when a back-office table, or a global table replica, lacks deletion protection', () => {
    const { app, back } = zonedApp();
    table(back, 'Ledger', { deletionProtection: false });
    new dynamodb.TableV2(back, 'Global', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(findings(app, 'B10')).toEqual([
      { id: 'OfficeZonesBoundary-B10', path: 'OfficeZones-test-BackOffice/Global/Resource' },
      { id: 'OfficeZonesBoundary-B10', path: 'OfficeZones-test-BackOffice/Ledger/Resource' },
    ]);
  });

  test('fails for an L1 override that turns protection off, and passes protected tables and buckets (no such setting)', () => {
    const { app, back } = zonedApp();
    const ledger = table(back, 'Ledger');
    (ledger.node.defaultChild as dynamodb.CfnTable).addPropertyOverride(
      'DeletionProtectionEnabled',
      false,
    );
    table(back, 'Other');
    new s3.Bucket(back, 'Invoices', { removalPolicy: RemovalPolicy.RETAIN });
    expect(findings(app, 'B10').map((f) => f.path)).toEqual([
      'OfficeZones-test-BackOffice/Ledger/Resource',
    ]);
  });
});

describe('B11 BackOfficeBackup', () => {
  test('fails when a back-office table is in no backup plan', () => {
    const { app, back } = zonedApp();
    table(back, 'Ledger');
    expect(findings(app, 'B11')).toEqual([
      { id: 'OfficeZonesBoundary-B11', path: 'OfficeZones-test-BackOffice/Ledger/Resource' },
    ]);
  });

  test('passes tables a backup selection lists by ARN, and tables its tags select', () => {
    const { app, back } = zonedApp();
    const listed = table(back, 'Listed');
    const tagged = table(back, 'Tagged');
    const plan = backup.BackupPlan.daily35DayRetention(back, 'Plan');
    plan.addSelection('Listed', { resources: [backup.BackupResource.fromDynamoDbTable(listed)] });
    plan.addSelection('ByTag', { resources: [backup.BackupResource.fromTag('Backup', 'daily')] });
    (tagged.node.defaultChild as dynamodb.CfnTable).tags.setTag('Backup', 'daily');
    expect(findings(app, 'B11')).toEqual([]);
  });

  test('fails when the tag selection does not match, or an L1 selection excludes the table', () => {
    const { app, back } = zonedApp();
    const excluded = table(back, 'Excluded');
    table(back, 'Covered');
    new backup.CfnBackupSelection(back, 'Raw', {
      backupPlanId: 'plan-1',
      backupSelection: {
        selectionName: 'all-tables',
        iamRoleArn: 'arn:aws:iam::111122223333:role/backup',
        resources: ['arn:aws:dynamodb:*:*:table/*'],
        notResources: [excluded.tableArn],
        conditions: {
          StringEquals: [{ ConditionKey: 'aws:ResourceTag/Zone', ConditionValue: 'back-office' }],
        },
      },
    });
    expect(findings(app, 'B11').map((f) => f.path)).toEqual([
      'OfficeZones-test-BackOffice/Excluded/Resource',
    ]);
  });
});
