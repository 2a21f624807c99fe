import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { consumers, parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { brokerManifest } from '../../../lib/contract/broker-manifest';
import { writeReports } from '../../../lib/reports';
import { OFFICE_ZONES_PAGE_FILE } from '../../../lib/reports/office-zones-page';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { registerSecurityChecks } from '../../../lib/stacks/security';
import { openPages, PageResult } from '../../support/browser';
import { PageSpeed, speedOf, speedRequests, withinBudget } from '../../support/page-speed';
import { CDK_CONTEXT } from '../../helpers';

/** Where the browser tests leave their screenshots (CI keeps them). */
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', '..', 'test-output');

/**
 * The reference synthesized with both security packs (Lambda bundling off), an access-path
 * report in the shared format beside it, then every report written as bin/app.ts writes them.
 */
function synthReference(): { outdir: string; written: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-page-'));
  const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const stacks = buildOfficeZones(app, blueprint);
  // The page is shown a report with a failing path (the fixture), so the evaluation's own report
  // (every path of the reference as expected) is not written over it.
  const security = registerSecurityChecks(app, blueprint, { accessPaths: false });
  app.synth();
  fs.copyFileSync(
    path.join(__dirname, 'page', 'fixtures', 'access-paths.json'),
    path.join(outdir, 'access-paths.json'),
  );
  return { outdir, written: writeReports({ outdir, blueprint, stacks, security }) };
}

describe('office-zones.html in headless Chromium', () => {
  let outdir: string;
  let written: string[];
  let result: PageResult;
  let speed: PageSpeed;
  const screenshot = path.join(SCREENSHOT_DIR, 'office-zones-reference.png');

  beforeAll(async () => {
    ({ outdir, written } = synthReference());
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.rmSync(screenshot, { force: true });
    const page = path.join(outdir, OFFICE_ZONES_PAGE_FILE);
    // One browser for the page's facts and its render-time measure.
    const { pages } = await openPages([
      { url: pathToFileURL(page).href, screenshot },
      ...speedRequests(page),
    ]);
    result = pages[0];
    speed = speedOf('reference', pages.slice(1));
  }, 180_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('is written with the other reports, and loads from file:// with no console error and no request', () => {
    expect(written).toContain(OFFICE_ZONES_PAGE_FILE);
    expect(result.consoleErrors).toEqual([]);
    expect(result.requests).toEqual([]);
    expect(result.facts.scripts).toBe(0);
  });

  test('draws a node for every zone, capability, product and partner, and an edge for every consumed scope', () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const [figure] = result.facts.figures;
    expect(result.facts.figures).toHaveLength(1);
    expect(figure.clusters.filter((c) => c.classes.includes('oz-zone')).map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'whole-zone-front-office',
        'whole-zone-integration',
        'whole-zone-back-office',
      ]),
    );
    const nodes = figure.nodes.map((n) => n.id).sort();
    expect(nodes).toEqual(
      [
        ...blueprint.backOffice.capabilities.map((c) => `whole-capability-${c.name}`),
        ...consumers(blueprint).map((c) => `whole-${c.kind}-${c.name}`),
        ...brokerManifest(blueprint).scopes.map((s) => `whole-scope-${s.scope}`),
      ].sort(),
    );
    const consumes = figure.edges.filter((e) => e.classes.includes('oz-consumes')).map((e) => e.id);
    expect(consumes.sort()).toEqual(
      consumers(blueprint)
        .flatMap((c) => c.scopes.map((s) => `whole-consumes-${c.kind}-${c.name}-${s}`))
        .sort(),
    );
  });

  test('is legible: no text runs over its box, and none is smaller than 9 pixels', () => {
    const [figure] = result.facts.figures;
    expect(figure.overflowing).toEqual([]);
    expect(figure.minTextPx).toBeGreaterThanOrEqual(9);
  });

  test('is accessible: one h1, a section heading each, tables with captions and column headers, a text alternative for the picture', () => {
    expect(result.facts.lang).toBe('en');
    expect(result.facts.h1).toEqual(['Office Zones: Northwind Retail (dev)']);
    expect(result.facts.h2).toEqual([
      'Architecture',
      "The door: the broker's routes",
      'Cost',
      'Security',
    ]);
    expect(result.facts.tables).toBeGreaterThan(10);
    expect(result.facts.tablesWithoutHeaders).toBe(0);
    const [figure] = result.facts.figures;
    expect(figure.role).toBe('img');
    expect(figure.name).toContain(
      'Product web-shop (owner web-shop-team@northwind.example, cost centre CC-3100) consumes catalog/read, orders/write, orders/read.',
    );
  });

  test('links the CSV, the SARIF, the OpenAPI contract and the access paths, each next to it', () => {
    const files = [
      'cost-attribution.csv',
      'security-report.sarif',
      'broker-openapi.json',
      'access-paths.json',
    ];
    expect(result.facts.links).toEqual(expect.arrayContaining(files));
    for (const file of files) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
  });

  test('shows the access paths with their decisions', () => {
    expect(result.facts.accessPathRows).toHaveLength(2);
    expect(result.facts.accessPathRows[1]).toEqual(
      expect.arrayContaining(['deny', 'Allowed', 'not as expected']),
    );
    expect(result.facts.accessPathRows[1][0]).toContain(
      "The web shop's runtime role reads the <orders> ledger directly",
    );
  });

  // The same measure for 200 products is office-zones-page-speed.scale.test.ts (npm run test:scale).
  test('renders within its time budget, relative to a text page of the same size', () => {
    expect(speed.consoleErrors).toEqual([]);
    expect(withinBudget(speed)).toEqual({ ...withinBudget(speed), withinBudget: true });
  });

  test('saves a screenshot', () => {
    const png = fs.readFileSync(screenshot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1400); // the viewport's width
  });
});
