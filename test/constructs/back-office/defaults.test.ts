import { BACK_OFFICE_DEFAULTS as D } from '../../../constructs/back-office/defaults';
import { parseBlueprint } from '../../../lib/blueprint';
import { referenceInput } from '../../helpers';
import {
  flatten,
  readmeDefaults,
  readmeSection,
  retentionName,
  tsdocDefault,
  tsdocOf,
} from '../../support/defaults-docs';

const BACKUP = 'constructs/back-office/zone-backup.ts';
const NETWORK = 'constructs/back-office/isolated-network.ts';
const SYSTEM = 'constructs/back-office/system-of-record.ts';
const WORKFLOW = 'constructs/back-office/command-workflow.ts';

describe('BACK_OFFICE_DEFAULTS', () => {
  test("the README's table lists every default with its value", () => {
    expect(readmeDefaults('BACK_OFFICE_DEFAULTS')).toEqual(flatten(D));
  });

  test.each([
    [NETWORK, 'IsolatedNetworkProps', 'cidr', `'${D.network.cidr}'`],
    [NETWORK, 'IsolatedNetworkProps', 'maxAzs', `${D.network.maxAzs}`],
    [
      NETWORK,
      'IsolatedNetworkProps',
      'flowLogRetention',
      retentionName(D.network.flowLogRetentionDays),
    ],
    [BACKUP, 'ZoneBackupProps', 'dailyRetentionDays', `${D.backup.dailyRetentionDays}`],
    [BACKUP, 'ZoneBackupProps', 'monthlyRetentionDays', `${D.backup.monthlyRetentionDays}`],
    [BACKUP, 'VaultLockOptions', 'changeableForDays', `${D.backup.changeableForDays}`],
    [SYSTEM, 'SystemOfRecordProps', 'maxReceiveCount', `${D.systemOfRecord.maxReceiveCount}`],
    [WORKFLOW, 'CommandWorkflowProps', 'batchSize', `${D.commandWorkflow.batchSize}`],
    [WORKFLOW, 'CommandWorkflowProps', 'maxConcurrency', `${D.commandWorkflow.maxConcurrency}`],
  ])('%s %s.%s says @default %s', (file, iface, prop, expected) => {
    expect(tsdocDefault(file, iface, prop)).toBe(expected);
  });

  test('the constructs\' "Default settings" and the README say the same', () => {
    const { backup, systemOfRecord: sor, commandWorkflow: wf } = D;
    expect(tsdocOf(BACKUP, 'ZoneBackup')).toContain(
      `kept ${backup.dailyRetentionDays} days, monthly on the 1st kept ${backup.monthlyRetentionDays} days`,
    );
    expect(tsdocOf(SYSTEM, 'SystemOfRecord')).toContain(
      `${sor.intakeRetentionDays}-day retention, ${sor.visibilityTimeoutMinutes}-minute visibility timeout; a message goes to the dead-letter queue (${sor.deadLetterRetentionDays}-day retention) after ${sor.maxReceiveCount} failed receives`,
    );
    expect(tsdocOf(WORKFLOW, 'CommandWorkflow')).toContain(
      `batches of ${wf.batchSize}, at most ${wf.maxConcurrency} concurrent batches`,
    );
    const readme = readmeSection('Back office: default settings');
    expect(readme).toContain(`default ${backup.dailyRetentionDays})`);
    expect(readme).toContain(`default ${backup.monthlyRetentionDays})`);
  });

  test("the blueprint's back-office defaults are the constructs'", () => {
    const input = referenceInput() as any;
    delete input.backOffice.backup;
    delete input.backOffice.vpcCidr;
    const { backOffice } = parseBlueprint(input);
    expect(backOffice.vpcCidr).toBe(D.network.cidr);
    expect(backOffice.backup).toEqual({
      dailyRetentionDays: D.backup.dailyRetentionDays,
      monthlyRetentionDays: D.backup.monthlyRetentionDays,
    });
    input.backOffice.backup = { vaultLock: { minRetentionDays: 7 } };
    expect(parseBlueprint(input).backOffice.backup.vaultLock?.changeableForDays).toBe(
      D.backup.changeableForDays,
    );
  });
});
