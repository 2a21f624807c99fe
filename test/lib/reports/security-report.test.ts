import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { writeReports } from '../../../lib/reports';
import { registerSecurityChecks } from '../../../lib/stacks/security';
import { CDK_CONTEXT } from '../../helpers';
import { sarifSchemaErrors } from '../../support/sarif';

/** Synthesizes the reference (optionally changed) with both packs, then writes the reports as synthOfficeZones does. */
function synthAndReport(change?: (stacks: ReturnType<typeof buildOfficeZones>) => void) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-security-'));
  const app = new App({ outdir, context: CDK_CONTEXT });
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const stacks = buildOfficeZones(app, blueprint);
  change?.(stacks);
  const security = registerSecurityChecks(app, blueprint);
  let failed = '';
  try {
    app.synth();
  } catch (e) {
    failed = (e as Error).message;
  }
  const written = writeReports({ outdir, blueprint, stacks, security });
  const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf8');
  return {
    failed,
    written,
    security,
    markdown: read('security-report.md'),
    sarif: JSON.parse(read('security-report.sarif')),
    outdir,
  };
}

describe('security reports when a boundary rule fails', () => {
  const r = synthAndReport(({ backOffice, products }) => {
    const fn = new lambda.Function(products[0], 'Reader', {
      runtime: lambda.Runtime.NODEJS_LATEST,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    backOffice.zone.capability('orders').grantRead(fn);
  });
  afterAll(() => fs.rmSync(r.outdir, { recursive: true, force: true }));

  test('synth fails with the boundary rule id, and the reports are still written and valid SARIF', () => {
    expect(r.failed).toMatch(
      /OfficeZonesBoundary-B1\[OfficeZones-dev-BackOffice\/ZoneOrdersLedger/,
    );
    expect(r.written).toEqual(
      expect.arrayContaining(['security-report.md', 'security-report.sarif']),
    );
    expect(sarifSchemaErrors(r.sarif)).toEqual([]);
  });

  test('the finding is located at its template, line and construct path', () => {
    const boundary = r.sarif.runs.find((x: any) => x.tool.driver.name === 'OfficeZonesBoundary');
    const b1 = boundary.results.filter((x: any) => x.ruleId === 'OfficeZonesBoundary-B1');
    expect(b1.length).toBeGreaterThan(0);
    const location = b1[0].locations[0];
    expect(location.logicalLocations[0].fullyQualifiedName).toBe(
      'OfficeZones-dev-Product-web-shop/Reader/ServiceRole/DefaultPolicy/Resource',
    );
    const uri: string = location.physicalLocation.artifactLocation.uri;
    expect(uri).toBe(`${path.basename(r.outdir)}/OfficeZones-dev-Product-web-shop.template.json`);
    const lines = fs
      .readFileSync(path.join(r.outdir, 'OfficeZones-dev-Product-web-shop.template.json'), 'utf8')
      .split('\n');
    expect(lines[location.physicalLocation.region.startLine - 1]).toContain(
      `"${b1[0].properties.logicalId}": {`,
    );
    expect(boundary.tool.driver.rules[b1[0].ruleIndex].id).toBe('OfficeZonesBoundary-B1');
    expect(b1[0].level).toBe('error');
  });

  test('the markdown report shows the open finding with its fix', () => {
    expect(r.markdown).toMatch(/^Failed: \d+ open findings/m);
    expect(r.markdown).toMatch(
      /\| `OfficeZonesBoundary-B1\[OfficeZones-dev-BackOffice\/ZoneOrdersLedger[0-9A-F]+\]` \| error \| `OfficeZones-dev-Product-web-shop\/Reader\/ServiceRole\/DefaultPolicy\/Resource` \| `OfficeZones-dev-Product-web-shop.template.json:\d+` \(ReaderServiceRoleDefaultPolicy[0-9A-F]+\) \| Remove the grant/,
    );
  });
});

describe('the SARIF schema check', () => {
  test('fails when a log breaks the SARIF 2.1.0 schema', () => {
    const broken = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: {} }] }],
    };
    expect(sarifSchemaErrors(broken).length).toBeGreaterThan(0);
  });
});
