import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReportContext } from '../../../lib/reports';
import { readSecurityResults } from '../../../lib/reports/security-findings';

/** A validation report with one open finding of rule `rule` on the construct `Stack/Queue`. */
function validationReport(rule: string) {
  return JSON.stringify({
    pluginReports: [
      {
        pluginName: 'AwsSolutions',
        violations: [
          {
            ruleName: rule,
            description: `finding of ${rule}`,
            severity: 'error',
            violatingConstructs: [{ constructPath: 'Stack/Queue' }],
          },
        ],
      },
    ],
  });
}

describe('readSecurityResults', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-findings-'));
    fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ artifacts: {} }));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // Only the output directory and the security checks decide the results.
  const ctx = (dir: string) => ({ outdir: dir }) as ReportContext;
  const rules = (dir: string) =>
    readSecurityResults(ctx(dir)).packs.flatMap((p) => p.findings.map((f) => f.ruleId));

  test('reads a synth once for every report that asks, and again when its validation report changes', () => {
    fs.writeFileSync(
      path.join(outdir, 'validation-report.json'),
      validationReport('AwsSolutions-SQS3'),
    );
    const first = readSecurityResults(ctx(outdir));
    expect(readSecurityResults(ctx(outdir))).toBe(first);
    expect(rules(outdir)).toEqual(['AwsSolutions-SQS3']);

    fs.writeFileSync(
      path.join(outdir, 'validation-report.json'),
      validationReport('AwsSolutions-SQS4'),
    );
    expect(rules(outdir)).toEqual(['AwsSolutions-SQS4']);

    fs.rmSync(path.join(outdir, 'validation-report.json'));
    expect(readSecurityResults(ctx(outdir))).toMatchObject({ validated: false, packs: [] });
  });

  test('never gives one output directory the results of another', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-findings-'));
    try {
      fs.writeFileSync(
        path.join(outdir, 'validation-report.json'),
        validationReport('AwsSolutions-SQS3'),
      );
      fs.writeFileSync(
        path.join(other, 'validation-report.json'),
        validationReport('AwsSolutions-SQS4'),
      );
      expect(rules(outdir)).toEqual(['AwsSolutions-SQS3']);
      expect(rules(other)).toEqual(['AwsSolutions-SQS4']);
      expect(rules(outdir)).toEqual(['AwsSolutions-SQS3']);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
