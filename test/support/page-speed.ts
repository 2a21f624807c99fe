/**
 * The render-time measure of `office-zones.html` that the page-speed tests share: the page against
 * a page of the same size that holds nothing but text, in the same browser, in the same run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, App } from 'aws-cdk-lib';
import { BlueprintInput, parseBlueprint } from '../../lib/blueprint';
import { writeReports } from '../../lib/reports';
import { OFFICE_ZONES_PAGE_FILE } from '../../lib/reports/office-zones-page';
import { buildOfficeZones } from '../../lib/stacks/office-zones';
import { e } from '../../lib/reports/page/html';
import { openPages, PageRequest, PageResult } from './browser';
import { CDK_CONTEXT } from '../helpers';

/**
 * The page may take at most this many times as long to render as a page of the same size that
 * holds nothing but text, measured in the same browser in the same run (medians of five loads).
 */
export const RENDER_BUDGET_RATIO = 4;
export const LOADS = 5;

/** Synthesizes a blueprint (no packs, no bundling) and writes its reports; returns the page. */
export function pageFor(input: BlueprintInput, dir: string): string {
  const app = new App({
    outdir: dir,
    // The page is drawn from the blueprint and the templates, whatever their size.
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

/** One page's render time as a ratio to its text baseline, and what the browser saw of it. */
export interface PageSpeed {
  readonly page: string;
  readonly ratio: number;
  readonly consoleErrors: readonly string[];
  readonly facts: Awaited<ReturnType<typeof openPages>>['pages'][number]['facts'];
}

/** What the browser is asked for one page's measure: its text baseline, then the page, {@link LOADS} loads each. */
export function speedRequests(file: string): PageRequest[] {
  return [
    { url: pathToFileURL(baselineFor(file)).href, timings: LOADS },
    { url: pathToFileURL(file).href, timings: LOADS },
  ];
}

/** A page's measure from the browser's results for {@link speedRequests}: medians as a ratio. */
export function speedOf(name: string, [baseline, page]: readonly PageResult[]): PageSpeed {
  return {
    page: name,
    ratio: median(page.timings) / median(baseline.timings),
    consoleErrors: page.consoleErrors,
    facts: page.facts,
  };
}

/** Loads each page and its baseline {@link LOADS} times in one browser: medians as a ratio. */
export async function measurePages(
  pages: readonly { name: string; file: string }[],
): Promise<PageSpeed[]> {
  const { pages: results } = await openPages(pages.flatMap((p) => speedRequests(p.file)));
  return pages.map((p, i) => speedOf(p.name, results.slice(2 * i, 2 * i + 2)));
}

/** The measure as the tests compare it: within {@link RENDER_BUDGET_RATIO} or not. */
export const withinBudget = ({ page, ratio }: PageSpeed) => ({
  page,
  ratio,
  withinBudget: ratio <= RENDER_BUDGET_RATIO,
});
