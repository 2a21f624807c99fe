import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CDK_CONTEXT } from '../helpers';
import { largeBlueprint } from '../support/large-blueprint';

const root = path.join(__dirname, '..', '..');

/** The app command of cdk.json: what `npx cdk synth` runs. */
const APP_COMMAND = (
  JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')) as { app: string }
).app.split(' ');

/** Runs the app the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-app-'));
  expect(APP_COMMAND[0]).toBe('node');
  const result = spawnSync(process.execPath, APP_COMMAND.slice(1), {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      // No Lambda bundling: these tests are about the blueprint, not the assets.
      CDK_CONTEXT_JSON: JSON.stringify({
        ...CDK_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        ...context,
      }),
      CDK_VALIDATION: 'false',
    },
  });
  const files = fs.readdirSync(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, files };
}

describe('bin/app.ts, as cdk.json runs it (bin/app.js)', () => {
  test('builds a valid custom blueprint file instead of the reference, and says where its reports are', () => {
    const { status, stderr, files } = runApp({ blueprint: 'examples/blueprints/bakery.yaml' });
    expect(status).toBe(0);
    expect(files).toContain('office-zones.html');
    // Nothing but the summary: one line per report with its readers.
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Office Zones reports in .+:$/);
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual([
      'office-zones.html',
      'cost-attribution.csv',
      'cost-attribution.md',
      'security-report.md',
      'security-report.sarif',
      'validation-report.json',
      'access-paths.json',
      'access-paths.md',
      'broker-manifest.json',
      'broker-openapi.json',
    ]);
    expect(lines[1]).toMatch(
      /office-zones\.html +everyone: the architecture, cost, security and the door/,
    );
    expect(files.filter((f) => f.endsWith('.template.json')).sort()).toEqual([
      'Bakery-test-BackOffice.template.json',
      'Bakery-test-BackOfficeOperations.template.json',
      'Bakery-test-Broker.template.json',
      'Bakery-test-Consumer-product-cake-shop.template.json',
      'Bakery-test-FrontOfficeGuardrails.template.json',
      'Bakery-test-Product-cake-shop.template.json',
    ]);
  });

  test('fails with every problem of a broken file by path, no stack trace and no templates', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-broken-'));
    const file = path.join(dir, 'broken.yaml');
    const text = fs
      .readFileSync(path.join(root, 'examples/blueprints/bakery.yaml'), 'utf8')
      .replace('costCentre: CC-0300', 'costCentre: bakery')
      .replace(
        'consumes: [orders/write, orders/read]',
        'consumes: [orders/write, cakes/read]\n      colour: pink',
      );
    fs.writeFileSync(file, text);
    const { status, stderr, files } = runApp({ blueprint: file });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr).toContain('broken.yaml is not a valid Office Zones blueprint (3 problems):');
    expect(stderr).toContain(
      'frontOffice.products[0] (cake-shop).costCentre: must match ^CC-[0-9]{4}$',
    );
    expect(stderr).toContain(
      'frontOffice.products[0] (cake-shop).consumes[1]: product cake-shop consumes scope cakes/read, which no capability offers',
    );
    expect(stderr).toContain(
      'frontOffice.products[0] (cake-shop).colour: is not a known key (received: "pink")',
    );
    expect(stderr).not.toMatch(/\s+at .+:\d+:\d+/);
    expect(files.filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('fails when the stacks exceed an account quota, naming the quota, the count and the fix, with validation off', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-quota-'));
    const file = path.join(dir, 'two-shops.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...largeBlueprint({ products: 2, components: ['web'] }),
        deployment: { accountQuotas: { cloudFrontOriginAccessControls: 1 } },
      }),
    );
    const { status, stderr } = runApp({ blueprint: file });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Office Zones could not synthesize: the stacks exceed an AWS limit:',
      '  [the target account (environment-agnostic stacks)] Origin access controls per AWS account (AWS::CloudFront::OriginAccessControl): 2 exceeds 1 (2 stacks create them, most OfficeZones-dev-Product-product-1: 1, OfficeZones-dev-Product-product-2: 1). Fix: request a higher "Origin access controls per AWS account" quota (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html) and declare it as deployment.accountQuotas.cloudFrontOriginAccessControls in the blueprint, or spread the stacks over more accounts',
    ]);
  });
});
