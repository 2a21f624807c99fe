import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../../lib/blueprint';
import type { AttributionRow } from '../../../../lib/reports/cost-attribution-report';
import { AccessPathsRead, AccessPathsReport } from '../../../../lib/reports/page/access-paths';
import { architecturePictures } from '../../../../lib/reports/page/architecture';
import { renderPage } from '../../../../lib/reports/page/html';
import { pageModel } from '../../../../lib/reports/page/model';

const LINKS = {
  costCsv: 'cost-attribution.csv',
  sarif: 'security-report.sarif',
  openApi: 'broker-openapi.json',
  accessPaths: 'access-paths.json',
};

const FIXTURE: AccessPathsReport = AccessPathsReport.parse(
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'access-paths.json'), 'utf8')),
);

/** The page of a blueprint without layout (a stand-in SVG per picture); no synth needed. */
function pageOf(
  input: unknown,
  accessPaths: AccessPathsRead = { state: 'absent' },
  rows: AttributionRow[] = [],
): string {
  const model = pageModel({
    blueprint: parseBlueprint(input),
    rows,
    security: { validated: true, packs: [] },
    accessPaths,
  });
  const pictures = architecturePictures(model).map((picture) => ({
    picture,
    svg: '<svg viewBox="0 0 1 1"></svg>',
  }));
  return renderPage(model, pictures, LINKS, '16.1.0');
}

describe('renderPage', () => {
  const reference = pageOf(REFERENCE_BLUEPRINT);

  test('is self-contained: no script, a policy that forbids every fetch, nothing external', () => {
    expect(reference).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(reference).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(reference.match(/(?:src|href)="([^"#]+)"/g)).toEqual([
      'href="broker-openapi.json"',
      'href="cost-attribution.csv"',
      'href="security-report.sarif"',
    ]);
  });

  test('names each picture and describes it for readers who cannot see it', () => {
    expect(reference).toContain(
      '<svg role="img" aria-labelledby="whole-title whole-desc" viewBox="0 0 1 1"></svg>',
    );
    expect(reference).toMatch(/<p class="alt" id="whole-desc">Three zones: /);
  });

  test('gives every table a caption and column headers', () => {
    const tables = reference.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(6);
    for (const t of tables)
      expect(t).toMatch(/<caption>[^<]+<\/caption>\n<thead><tr><th scope="col">/);
  });

  test('names each zone with the value the cost category gives it', () => {
    const row = { stack: 'S', constructPath: '', logicalId: 'Q', type: 'AWS::SQS::Queue' };
    const tags = { product: 'broker', costCentre: 'CC-2000', owner: 'o', environment: 'dev' };
    const page = pageOf(REFERENCE_BLUEPRINT, { state: 'absent' }, [
      {
        ...row,
        ...tags,
        zone: 'integration',
        taggable: 'yes',
        attribution: 'own tags',
        missingKeys: [],
      },
      {
        ...row,
        ...tags,
        zone: 'elsewhere',
        taggable: 'yes',
        attribution: 'own tags',
        missingKeys: [],
      },
    ]);
    expect(page).toContain(
      '<tr><td>integration (Integration)</td><td>1</td><td>0</td><td>1</td></tr>',
    );
    expect(page).toContain('<tr><td>elsewhere</td><td>1</td><td>0</td><td>1</td></tr>');
  });

  test('escapes what the blueprint says', () => {
    const bakery = pageOf(
      parse(
        fs.readFileSync(
          path.join(__dirname, '../../../../examples/blueprints/bakery.yaml'),
          'utf8',
        ),
      ),
    );
    expect(bakery).toContain('<title>Office Zones: Crumb &amp; Co Bakery (test)</title>');
    expect(bakery).not.toContain('Crumb & Co');
  });

  test('says when the access paths were not evaluated on this synth', () => {
    expect(reference).toContain(
      'No <code>access-paths.json</code> in this cloud assembly: the access paths were not evaluated on this synth.',
    );
  });

  test('shows the access paths and their decisions, escaped', () => {
    const page = pageOf(REFERENCE_BLUEPRINT, { state: 'read', report: FIXTURE });
    expect(page).toContain('1 of 2 as expected, 1 not.');
    expect(page).toContain('<a href="access-paths.json">access-paths.json</a>');
    expect(page).toContain("The web shop's runtime role reads the &lt;orders&gt; ledger directly");
    expect(page).toContain('<strong class="fail">not as expected</strong>');
  });

  test('fails when the engine did not run, with the reason it gave', () => {
    const page = pageOf(REFERENCE_BLUEPRINT, {
      state: 'read',
      report: {
        ...FIXTURE,
        evaluated: false,
        notEvaluatedReason: 'npm install @cloud-copilot/iam-simulate',
        paths: [],
      },
    });
    expect(page).toContain(
      '<p class="fail"><strong>Not evaluated</strong>: npm install @cloud-copilot/iam-simulate</p>',
    );
  });

  test('fails when access-paths.json cannot be read, with the problem', () => {
    const page = pageOf(REFERENCE_BLUEPRINT, {
      state: 'unreadable',
      problem: 'paths.1.decision: required',
    });
    expect(page).toContain(
      '<p class="fail"><code>access-paths.json</code> could not be read: paths.1.decision: required</p>',
    );
  });
});
