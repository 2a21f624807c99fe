import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Blueprint } from '../blueprint';
import { BROKER_OPENAPI_FILE } from './broker-openapi-report';
import { attributionRows, COST_ATTRIBUTION_CSV, constructPaths } from './cost-attribution-report';
import type { ReportContext } from './index';
import { readSecurityResults } from './security-findings';
import { SECURITY_SARIF_FILE } from './security-sarif';
import { ACCESS_PATHS_FILE, readAccessPaths } from './page/access-paths';
import { architecturePictures } from './page/architecture';
import { layoutSvg, layoutSvgAhead } from './page/graphviz';
import { renderPage } from './page/html';
import { architectureModel, pageModel } from './page/model';

export const OFFICE_ZONES_PAGE_FILE = 'office-zones.html';

/**
 * `cdk.out/office-zones.html`: one self-contained page for people who would rather look than
 * read. The architecture drawn from the synthesized model (laid out by Graphviz), cost
 * attribution, security findings and acknowledgments, the access paths when
 * `access-paths.json` is there, and the broker's routes; it links the CSV, SARIF and OpenAPI
 * files next to it. Computed from the same data as those reports, not from their Markdown.
 */
export function writeOfficeZonesPage(ctx: ReportContext): string[] {
  const model = pageModel({
    blueprint: ctx.blueprint,
    rows: attributionRows(
      ctx.outdir,
      ctx.blueprint,
      constructPaths(ctx.stacks.backOffice.node.root),
    ),
    security: readSecurityResults(ctx),
    accessPaths: readAccessPaths(ctx.outdir),
  });
  const pictures = architecturePictures(model);
  const layout = layoutSvg(pictures.map((p) => p.dot));
  const html = renderPage(
    model,
    pictures.map((picture, i) => ({ picture, svg: inlineSvg(layout.svgs[i]) })),
    {
      costCsv: COST_ATTRIBUTION_CSV,
      sarif: SECURITY_SARIF_FILE,
      openApi: BROKER_OPENAPI_FILE,
      accessPaths: ACCESS_PATHS_FILE,
    },
    layout.version,
  );
  fs.writeFileSync(path.join(ctx.outdir, OFFICE_ZONES_PAGE_FILE), html);
  return [OFFICE_ZONES_PAGE_FILE];
}

/**
 * Starts laying out the pictures {@link writeOfficeZonesPage} will draw for `blueprint`, which
 * depend on the blueprint alone, so that Graphviz works while the synth makes and checks the
 * templates (`layoutSvgAhead`, DEC-046). Nothing starts when their layout is kept.
 *
 * @returns whether a layout started
 */
export function layoutOfficeZonesPageAhead(blueprint: Blueprint): boolean {
  return layoutSvgAhead(architecturePictures(architectureModel(blueprint)).map((p) => p.dot));
}

/**
 * Text in the picture is set this much smaller than Graphviz measured it. Graphviz estimates
 * text widths with Helvetica's metrics; a reader without Helvetica (Debian's Chromium has DejaVu
 * Sans, about an eighth wider) would otherwise see text run over the edges of its box.
 */
export const SVG_TEXT_SCALE = 0.85;

/**
 * Graphviz's SVG document as an element to inline in HTML: no XML prolog, doctype or comments;
 * the first line of every node (its name) in bold (cluster labels stay regular: Graphviz places
 * them by their start, where a wider bold line would run over the edge); text scaled by {@link SVG_TEXT_SCALE}.
 */
export function inlineSvg(document: string): string {
  return document
    .slice(document.indexOf('<svg'))
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(
      /font-size="([0-9.]+)"/g,
      (_, size) => `font-size="${(Number(size) * SVG_TEXT_SCALE).toFixed(2)}"`,
    )
    .replace(
      /font-family="[^"]*"/g,
      `font-family="Helvetica,Arial,'Liberation Sans','DejaVu Sans',sans-serif"`,
    )
    .replace(/(<g id="[^"]*" class="node\b[^"]*">[\s\S]*?)<text /g, '$1<text font-weight="bold" ')
    .trim();
}
