import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

describe('examples/boundary-violations with the real CDK CLI', () => {
  test('fails when the reference gains a front-office ledger grant and an open back-office security group: `cdk synth` exits non-zero with the boundary rule ids', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cli-'));
    try {
      const result = spawnSync(
        process.execPath,
        [
          require.resolve('aws-cdk/bin/cdk'),
          'synth',
          '--app',
          // As the README runs it.
          `"${process.execPath}" bin/app-bundle.js examples/boundary-violations/app.ts`,
          '--output',
          outdir,
          '--no-validation',
          '--no-notices',
          '--quiet',
        ],
        { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
      );
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status).not.toBe(0);
      expect(output).toMatch(
        /OfficeZonesBoundary-B1\[OfficeZones-dev-BackOffice\/ZoneOrdersLedger[0-9A-F]+\]/,
      );
      expect(output).toContain('OfficeZonesBoundary-B3[Ingress::0.0.0.0/0]');
      expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      // The reports are written also when the gate fails.
      const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'security-report.sarif'), 'utf8'));
      const boundary = sarif.runs.find((r: any) => r.tool.driver.name === 'OfficeZonesBoundary');
      expect(boundary.results.map((r: any) => r.ruleId)).toEqual(
        expect.arrayContaining(['OfficeZonesBoundary-B1', 'OfficeZonesBoundary-B3']),
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
