import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, App } from 'aws-cdk-lib';
import { BlueprintInput, parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { writeReports } from '../../../lib/reports';
import { OFFICE_ZONES_PAGE_FILE } from '../../../lib/reports/office-zones-page';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { e } from '../../../lib/reports/page/html';
import { openPages } from '../../support/browser';
import { manyProductsInput } from '../../support/many-products';
import { CDK_CONTEXT } from '../../helpers';

/**
 * The page may take at most this many times as long to render as a page of the same size that
 * holds nothing but text, measured in the same browser in the same run (medians of five loads).
 */
const RENDER_BUDGET_RATIO = 4;
const LOADS = 5;

/** Synthesizes a blueprint (no packs, no bundling) and writes its reports; returns the page. */
function pageFor(input: BlueprintInput, dir: string): string {
  const app = new App({
    outdir: dir,
    // 200 products outgrow one broker stack's 500 resources (a limit the scale work lifts);
    // the page is drawn from the blueprint and the templates, whatever their size.
    context: {
      ...CDK_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
  const blueprint = parseBlueprint(input);
  const stacks = buildOfficeZones(app, blueprint);
  // The broker's template outgrows CloudFormation's inline limit at this size; it says so.
  Annotations.of(stacks.broker).acknowledgeWarning('@aws-cdk/core:Stack.templateSize');
  app.synth();
  writeReports({ outdir: dir, blueprint, stacks });
  return path.join(dir, OFFICE_ZONES_PAGE_FILE);
}

/** A page of the same size as `file` holding nothing but its source as text. */
function baselineFor(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const baseline = file.replace(/\.html$/, '.baseline.html');
  fs.writeFileSync(
    baseline,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title></head><body><pre>${e(text)}</pre></body></html>`,
  );
  return baseline;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('office-zones.html renders within its time budget', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-page-speed-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('for the reference and for 200 products, relative to a text page of the same size', async () => {
    const pages = [
      { name: 'reference', file: pageFor(REFERENCE_BLUEPRINT, path.join(root, 'reference')) },
      { name: '200 products', file: pageFor(manyProductsInput(200), path.join(root, 'many')) },
    ];
    const requests = pages.flatMap((p) => [
      { url: pathToFileURL(baselineFor(p.file)).href, timings: LOADS },
      { url: pathToFileURL(p.file).href, timings: LOADS },
    ]);
    const { pages: results } = await openPages(requests);
    const ratios = pages.map((p, i) => {
      const [baseline, page] = [results[2 * i], results[2 * i + 1]];
      expect(page.consoleErrors).toEqual([]);
      return { page: p.name, ratio: median(page.timings) / median(baseline.timings) };
    });
    for (const r of ratios) {
      expect({ ...r, withinBudget: r.ratio <= RENDER_BUDGET_RATIO }).toEqual({
        ...r,
        withinBudget: true,
      });
    }
    // The 200-product page draws every product: an overview and then pages of consumers.
    expect(results[3].facts.figures.length).toBeGreaterThan(17);
    const drawn = results[3].facts.figures.flatMap((f) =>
      f.nodes
        .filter((n) => n.classes.includes('oz-product'))
        .map((n) => n.id.replace(/^page-\d+-/, '')),
    );
    expect(new Set(drawn).size).toBe(200);
  }, 300_000);
});
