import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parse } from 'csv-parse/sync';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { writeReports } from '../../../lib/reports';
import {
  attributionRows,
  attributionSummary,
  AttributionRow,
  toCsv,
} from '../../../lib/reports/cost-attribution-report';
import { CDK_CONTEXT } from '../../helpers';

/** No asset bundling, as in `testApp()`: these tests read templates. */
const TEST_CONTEXT = { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] };

const HEADER = [
  'Stack',
  'Construct path',
  'Logical ID',
  'Type',
  'Zone',
  'Product',
  'Cost centre',
  'Owner',
  'Environment',
  'Taggable',
  'Attribution',
];

/** Strict RFC 4180 reading, as a spreadsheet would: every record has every column. */
function readCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, record_delimiter: '\r\n', relax_quotes: false });
}

describe('cost-attribution reports of the reference blueprint', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cost-'));
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  let written: string[];
  let csv: string;
  let rows: Record<string, string>[];
  const templates: Record<string, any> = {};
  /** The construct path of each stack, by stack name (a nested stage's stacks are under it). */
  const stackPaths: Record<string, string> = {};

  beforeAll(() => {
    const app = new App({ outdir, context: TEST_CONTEXT });
    const stacks = buildOfficeZones(app, blueprint);
    const assembly = app.synth();
    written = writeReports({ outdir, blueprint, stacks });
    csv = fs.readFileSync(path.join(outdir, 'cost-attribution.csv'), 'utf8');
    rows = readCsv(csv);
    // Every template, the management stage's included.
    for (const stack of assembly.stacksRecursively) {
      templates[stack.stackName] = stack.template;
      stackPaths[stack.stackName] = stack.hierarchicalId;
    }
  });

  test('covers the stacks of the management stage too, which `cdk deploy --all` leaves out', () => {
    expect(new Set(rows.map((r) => r.Stack))).toEqual(new Set(Object.keys(templates)));
    expect(rows.map((r) => r.Stack)).toContain('OfficeZones-dev-CostManagement');
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synth writes the CSV and the summary next to the templates', () => {
    expect(written).toEqual(
      expect.arrayContaining(['cost-attribution.csv', 'cost-attribution.md']),
    );
  });

  test('the CSV has one row per resource of every template, with the header first', () => {
    expect(csv.split('\r\n')[0]).toBe(HEADER.join(','));
    const expected = Object.entries(templates)
      .flatMap(([stack, t]) => Object.keys(t.Resources).map((id) => `${stack} ${id}`))
      .sort();
    expect(rows.map((r) => `${r.Stack} ${r['Logical ID']}`).sort()).toEqual(expected);
    expect(Object.keys(templates)).toHaveLength(10);
  });

  test('each row names the construct path and the type of its resource', () => {
    for (const r of rows) {
      expect(r['Construct path'].startsWith(`${stackPaths[r.Stack]}/`)).toBe(true);
      expect(r.Type).toBe(templates[r.Stack].Resources[r['Logical ID']].Type);
    }
  });

  test('every taggable resource is attributed by its own tags to a zone, product and cost centre', () => {
    const taggable = rows.filter((r) => r.Taggable === 'yes');
    expect(taggable.length).toBeGreaterThan(30);
    for (const r of taggable) {
      expect(r).toMatchObject({ Attribution: 'own tags', Environment: 'dev' });
      expect(r.Zone).toMatch(/^(front-office|back-office|integration)$/);
      expect(r['Cost centre']).toMatch(/^CC-\d{4}$/);
    }
    const budget = taggable.find(
      (r) => r.Stack === 'OfficeZones-dev-Product-web-shop' && r.Type === 'AWS::Budgets::Budget',
    );
    expect(budget).toMatchObject({ Product: 'web-shop', 'Cost centre': 'CC-3100' });
  });

  test('every resource that cannot carry tags is billed through a named parent in its template, costs nothing, or takes the stack tags', () => {
    const untaggable = rows.filter((r) => r.Taggable !== 'yes');
    expect(untaggable.length).toBeGreaterThan(20);
    const unexplained = untaggable.filter((r) => {
      const parent = /^billed through (\S+) (\S+)$/.exec(r.Attribution);
      if (parent) return templates[r.Stack].Resources[parent[2]]?.Type !== parent[1];
      // A consumer's app client is billed on the broker's user pool, in the broker's stack.
      const elsewhere = /^billed through (\S+) \(outside this stack\)$/.exec(r.Attribution);
      if (elsewhere)
        return !Object.entries(templates).some(
          ([stack, t]) =>
            stack !== r.Stack &&
            Object.values(t.Resources).some((res: any) => res.Type === elsewhere[1]),
        );
      return !['no charge', 'stack tags at deploy'].includes(r.Attribution);
    });
    expect(unexplained).toEqual([]);
    // A route of the web shop's HTTP API is billed on the API, and attributed to the product.
    const route = untaggable.find((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(route).toMatchObject({
      Attribution: expect.stringMatching(/^billed through AWS::ApiGatewayV2::Api /),
      Product: 'web-shop',
      'Cost centre': 'CC-3100',
    });
  });

  test('the summary says 100% of taggable resources carry the contract and lists the budgets', () => {
    const md = fs.readFileSync(path.join(outdir, 'cost-attribution.md'), 'utf8');
    const taggable = rows.filter((r) => r.Taggable === 'yes').length;
    expect(md).toContain(
      `**100.0%** of taggable resources carry every key of the cost-tag contract (Zone, CostCentre, Owner, Product, Environment): ${taggable} of ${taggable}.`,
    );
    expect(md).toContain('| front-office | Front office |');
    expect(md).toContain('| back-office | Back office |');
    expect(md).toContain('| integration | Integration |');
    expect(md).toContain(
      '| web-shop | OfficeZones-dev-product-web-shop | web-shop-team@northwind.example | CC-3100 | 800 |',
    );
    expect(md).toContain(
      '| CC-1100 | OfficeZones-dev-back-office-CC-1100 | it-back-office@northwind.example, order-management@northwind.example | 2,500 |',
    );
    expect(md).toContain('Cost category **Office zone**');
  });
});

describe('the cost-attribution report on a hand-made cloud assembly', () => {
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const row = (over: Partial<AttributionRow>): AttributionRow => ({
    stack: 'S',
    constructPath: 'S/R',
    logicalId: 'R',
    type: 'AWS::SQS::Queue',
    zone: 'front-office',
    product: 'shop',
    costCentre: 'CC-3100',
    owner: 'a@b.example',
    environment: 'dev',
    taggable: 'yes',
    attribution: 'own tags',
    missingKeys: [],
    ...over,
  });

  test('quotes fields with commas, quotes and line breaks so a spreadsheet reads them unchanged', () => {
    const tricky = row({
      constructPath: 'S/Odd, "quoted"\r\nname',
      owner: 'x,y@b.example',
      attribution: 'own tags (missing: CostCentre, Owner)',
    });
    const text = toCsv([tricky, row({})]);
    const back = readCsv(text);
    expect(back).toHaveLength(2);
    expect(back[0]['Construct path']).toBe('S/Odd, "quoted"\r\nname');
    expect(back[0].Owner).toBe('x,y@b.example');
    expect(back[0].Attribution).toBe('own tags (missing: CostCentre, Owner)');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('"S/Odd, ""quoted""\r\nname"');
  });

  test('fails the coverage when a taggable resource lacks a contract key, naming it and the key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-hand-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'manifest.json'),
        JSON.stringify({
          artifacts: {
            Shop: {
              type: 'aws:cloudformation:stack',
              properties: {
                templateFile: 'Shop.template.json',
                tags: { Zone: 'front-office', Product: 'shop', CostCentre: 'CC-3100' },
              },
            },
          },
        }),
      );
      const tags = [
        { Key: 'Zone', Value: 'front-office' },
        { Key: 'CostCentre', Value: 'CC-3100' },
        { Key: 'Owner', Value: 'a@b.example' },
        { Key: 'Product', Value: 'shop' },
        { Key: 'Environment', Value: 'dev' },
      ];
      fs.writeFileSync(
        path.join(dir, 'Shop.template.json'),
        JSON.stringify({
          Resources: {
            Good: { Type: 'AWS::SQS::Queue', Properties: { Tags: tags } },
            Bad: { Type: 'AWS::SQS::Queue', Properties: { Tags: tags.slice(0, 3) } },
            Policy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Good' }] } },
            Mystery: { Type: 'AWS::AppMesh::Mesh::Nope' },
          },
        }),
      );
      const rows = attributionRows(dir, blueprint);
      expect(rows.map((r) => [r.logicalId, r.taggable, r.attribution])).toEqual([
        ['Good', 'yes', 'own tags'],
        ['Bad', 'yes', 'own tags (missing: Product, Environment)'],
        ['Policy', 'no', 'no charge'],
        ['Mystery', 'unknown', 'unknown type'],
      ]);
      const md = attributionSummary(rows, blueprint);
      expect(md).toContain('**50.0%** of taggable resources carry every key');
      expect(md).toContain('| Shop | Bad | AWS::SQS::Queue | Product, Environment |');
      expect(md).toContain('(1 without an attribution: AWS::AppMesh::Mesh::Nope)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
