import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Broker, buildOfficeZones, loadBlueprintFile } from 'office-zones';
import { BLUEPRINT_FILE, synthEnterprise } from '../src/enterprise-app';

test('builds the broker of its own blueprint', () => {
  const stacks = buildOfficeZones(new App(), loadBlueprintFile(BLUEPRINT_FILE));
  expect(stacks.broker.broker).toBeInstanceOf(Broker);
  expect(stacks.products.map((p) => p.stackName)).toEqual(['Florist-prod-Product-flower-shop']);
});

test('synthesizes the whole enterprise through the security gate and writes its reports', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  try {
    const result = synthEnterprise(new App({ outdir }));
    expect(result.assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'Florist-prod-BackOffice',
      'Florist-prod-BackOfficeOperations',
      'Florist-prod-Broker',
      'Florist-prod-Consumer-product-flower-shop',
      'Florist-prod-FrontOfficeGuardrails',
      'Florist-prod-Product-flower-shop',
    ]);
    expect(result.security?.packs.map((p) => p.name)).toEqual([
      'AwsSolutions',
      'OfficeZonesBoundary',
    ]);
    for (const report of ['security-report.md', 'cost-attribution.csv', 'broker-manifest.json'])
      expect(fs.existsSync(path.join(outdir, report))).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
