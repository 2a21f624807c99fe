import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/office-zones';
import { writeReports } from '../../../lib/reports';
import { registerSecurityChecks } from '../../../lib/security';
import { CDK_CONTEXT } from '../../helpers';
import { sarifSchemaErrors } from '../../support/sarif';

/** Synthesizes the reference (optionally changed) with both packs, then writes the reports as bin/app.ts does. */
function synthAndReport(change?: (stacks: ReturnType<typeof buildOfficeZones>) => void) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-security-'));
  const app = new App({ outdir, context: CDK_CONTEXT });
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const stacks = buildOfficeZones(app, blueprint);
  change?.(stacks);
  const security = registerSecurityChecks(app, blueprint);
  let failed = false;
  try {
    app.synth();
  } catch {
    failed = true;
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

describe('security reports of the reference blueprint', () => {
  const r = synthAndReport();
  afterAll(() => fs.rmSync(r.outdir, { recursive: true, force: true }));

  test('are written on synth next to the templates', () => {
    expect(r.failed).toBe(false);
    expect(r.written).toEqual(
      expect.arrayContaining(['security-report.md', 'security-report.sarif']),
    );
  });

  test('the SARIF validates against the SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(r.sarif)).toEqual([]);
    expect(r.sarif.version).toBe('2.1.0');
  });

  test('the SARIF has one run per pack and one rule, with help text, per rule that ran', () => {
    const runs = r.sarif.runs.map((run: any) => run.tool.driver.name);
    expect(runs).toEqual(['AwsSolutions', 'OfficeZonesBoundary']);
    for (const pack of r.security.packs) {
      const run = r.sarif.runs.find((x: any) => x.tool.driver.name === pack.name);
      expect(run.tool.driver.rules.map((x: any) => x.id)).toEqual(pack.rulesRun().map((x) => x.id));
      expect(run.tool.driver.rules.every((x: any) => x.help.text.length > 20)).toBe(true);
    }
    const boundary = r.sarif.runs[1];
    expect(boundary.tool.driver.rules).toHaveLength(11);
    expect(boundary.results).toEqual([]);
  });

  test('acknowledged AwsSolutions findings are SARIF results with an accepted suppression and their reason', () => {
    const aws = r.sarif.runs[0];
    expect(aws.results.length).toBeGreaterThan(0);
    for (const result of aws.results) {
      expect(result.suppressions).toEqual([
        expect.objectContaining({
          kind: 'inSource',
          status: 'accepted',
          justification: expect.stringMatching(/\(ref DEC-\d+\)$/),
        }),
      ]);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
        /\.template\.json$/,
      );
    }
  });

  test('the markdown report lists each pack with its rules, findings and every acknowledgment with path, reason and reference', () => {
    expect(r.markdown).toContain('Passed: 0 open findings');
    expect(r.markdown).toMatch(/\| AwsSolutions \| \d+ \| 0 \| [1-9]\d* \|/);
    expect(r.markdown).toContain('| OfficeZonesBoundary | 11 | 0 | 0 |');
    expect(r.markdown).toContain('## OfficeZonesBoundary');
    expect(r.markdown).toContain('`OfficeZonesBoundary-B1`');
    expect(r.markdown).toMatch(
      /\| `AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs\]` \| `OfficeZones-dev-Broker\/[^`]+` \| .+ \(ref DEC-004\) \| DEC-004 \|/,
    );
  });
});

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

  test('are still written, and the SARIF still validates', () => {
    expect(r.failed).toBe(true);
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
