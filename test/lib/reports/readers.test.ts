import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BROKER_MANIFEST_FILE } from '../../../lib/reports/broker-manifest-report';
import { BROKER_OPENAPI_FILE } from '../../../lib/reports/broker-openapi-report';
import {
  COST_ATTRIBUTION_CSV,
  COST_ATTRIBUTION_SUMMARY,
} from '../../../lib/reports/cost-attribution-report';
import { OFFICE_ZONES_PAGE_FILE } from '../../../lib/reports/office-zones-page';
import { REPORT_READERS, synthSummary } from '../../../lib/reports/readers';
import { VALIDATION_REPORT_FILE } from '../../../lib/reports/security-findings';
import { SECURITY_REPORT_FILE } from '../../../lib/reports/security-report';
import { SECURITY_SARIF_FILE } from '../../../lib/reports/security-sarif';

describe('synthSummary', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-readers-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('names a reader for every report synth writes', () => {
    for (const file of [
      OFFICE_ZONES_PAGE_FILE,
      COST_ATTRIBUTION_CSV,
      COST_ATTRIBUTION_SUMMARY,
      SECURITY_REPORT_FILE,
      SECURITY_SARIF_FILE,
      VALIDATION_REPORT_FILE,
      BROKER_MANIFEST_FILE,
      BROKER_OPENAPI_FILE,
    ]) {
      expect(REPORT_READERS[file]).toMatch(/^[a-z].+: .+/);
    }
  });

  test('lists each report once, the page first, with validation-report.json when synth wrote it', () => {
    fs.writeFileSync(path.join(outdir, VALIDATION_REPORT_FILE), '{}');
    const lines = synthSummary(outdir, [
      BROKER_OPENAPI_FILE,
      COST_ATTRIBUTION_CSV,
      OFFICE_ZONES_PAGE_FILE,
      COST_ATTRIBUTION_CSV,
    ]).split('\n');
    expect(lines).toEqual([
      `Office Zones reports in ${outdir}:`,
      `  office-zones.html       ${REPORT_READERS['office-zones.html']}`,
      `  cost-attribution.csv    ${REPORT_READERS['cost-attribution.csv']}`,
      `  validation-report.json  ${REPORT_READERS['validation-report.json']}`,
      `  broker-openapi.json     ${REPORT_READERS['broker-openapi.json']}`,
      '',
    ]);
  });

  test('lists a report it has no reader for, last, without one', () => {
    expect(
      synthSummary(outdir, ['extra.txt', OFFICE_ZONES_PAGE_FILE]).split('\n').slice(1, 3),
    ).toEqual([`  office-zones.html  ${REPORT_READERS['office-zones.html']}`, '  extra.txt']);
  });
});
