import type { RuleDescriptor } from '../../../policies/rules-run';
import type { PackResult, SecurityFinding } from '../security-findings';
import type { AccessPathsRead } from './access-paths';
import { ArchitecturePicture, CONSUMERS_PER_PICTURE } from './architecture';
import type { PageBudget, PageModel, ResourceCount } from './model';

/** The files the page links to, relative to itself (all in `cdk.out`). */
export interface PageLinks {
  readonly costCsv: string;
  readonly sarif: string;
  readonly openApi: string;
  readonly accessPaths: string;
}

/** A picture laid out: its SVG markup (an `<svg>` element) next to what it stands for. */
export interface RenderedPicture {
  readonly picture: ArchitecturePicture;
  readonly svg: string;
}

/**
 * The page as one self-contained HTML document: no script, no external resource (a content
 * security policy of `default-src 'none'` forbids any), styles inline, pictures as inline SVG.
 * Every fact is written once, as HTML; machines read the JSON, CSV and SARIF it links.
 */
export function renderPage(
  model: PageModel,
  pictures: readonly RenderedPicture[],
  links: PageLinks,
  graphvizVersion: string,
): string {
  const title = `Office Zones: ${model.enterprise} (${model.environment})`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${e(title)}</h1>`,
    `<p>The front office, the back office and the one door between them, as <code>cdk synth</code> built them. Written from the synthesized templates and the reports next to this page; pictures laid out by Graphviz ${e(graphvizVersion)}.</p>`,
    '<nav aria-label="Contents"><ul>',
    '<li><a href="#architecture">Architecture</a></li>',
    '<li><a href="#door">The door</a></li>',
    '<li><a href="#cost">Cost</a></li>',
    '<li><a href="#security">Security</a></li>',
    '</ul></nav>',
    '</header>',
    '<main>',
    architectureSection(model, pictures),
    doorSection(model, links),
    costSection(model, links),
    securitySection(model, links),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function architectureSection(model: PageModel, pictures: readonly RenderedPicture[]): string {
  const paged = pictures.length > 1;
  return section('architecture', 'Architecture', [
    `<p>${model.consumers.length} consumers (${count(model.consumers.filter((c) => c.kind === 'product').length, 'product')}, ${count(model.consumers.filter((c) => c.kind === 'partner').length, 'declared partner')}) reach ${count(model.backOffice.capabilities.length, 'back-office capability', 'back-office capabilities')} only through the broker's scopes. Each box names its owner and cost centre.${paged ? ` With more than ${CONSUMERS_PER_PICTURE} consumers, the overview groups them by cost centre and the pictures after it draw them ${CONSUMERS_PER_PICTURE} at most at a time.` : ''}</p>`,
    ...pictures.map(({ picture, svg }) => {
      const titleId = `${picture.id}-title`;
      const descId = `${picture.id}-desc`;
      const accessible = svg.replace(
        /^<svg\b/,
        `<svg role="img" aria-labelledby="${titleId} ${descId}"`,
      );
      return [
        `<figure class="picture" id="figure-${e(picture.id)}">`,
        `<figcaption><h3 id="${e(titleId)}">${e(picture.title)}</h3></figcaption>`,
        `<div class="svg">${accessible}</div>`,
        `<p class="alt" id="${e(descId)}">${e(picture.description)}</p>`,
        '</figure>',
      ].join('\n');
    }),
  ]);
}

function doorSection(model: PageModel, links: PageLinks): string {
  return section('door', "The door: the broker's routes", [
    `<p>Every call from the front office enters through these routes of the broker's REST API (stack <code>${e(model.broker.stack)}</code>), each with a Cognito authorizer that requires the scope, request validation, throttles and a WAF. Partners code against <a href="${e(links.openApi)}">the OpenAPI contract</a>.</p>`,
    table(
      "The broker's routes",
      ['method', 'path', 'scope', 'target', 'consumers'],
      model.broker.routes.map((r) => [
        e(r.method),
        code(r.path),
        code(r.scope),
        e(r.target),
        r.consumers.length ? r.consumers.map(code).join(' ') : 'none declared',
      ]),
    ),
    '<h3>Consumers</h3>',
    table(
      'Declared consumers and the scopes they consume',
      ['consumer', 'kind', 'owner', 'cost centre', 'scopes'],
      model.consumers.map((c) => [
        code(`${c.kind}.${c.name}`),
        c.kind,
        e(c.owner),
        c.costCentre ? e(c.costCentre) : `billed to the broker (${e(model.broker.costCentre)})`,
        c.scopes.map(code).join(' '),
      ]),
    ),
  ]);
}

function costSection(model: PageModel, links: PageLinks): string {
  const c = model.cost;
  const coverage = c.taggable === 0 ? 100 : (100 * c.covered) / c.taggable;
  const counts = (caption: string, head: string, rows: readonly ResourceCount[]) =>
    table(
      caption,
      [head, 'taggable', 'untaggable', 'total'],
      rows.map((r) => [
        head === 'zone' ? zoneName(model, r.key) : e(r.key),
        num(r.taggable),
        num(r.untaggable),
        num(r.taggable + r.untaggable),
      ]),
    );
  const budgets = (caption: string, head: string, rows: readonly PageBudget[]) =>
    rows.length
      ? table(
          caption,
          [head, 'budget', 'cost centre', 'alerts', 'monthly USD'],
          rows.map((b) => [
            e(b.subject),
            code(b.name),
            e(b.costCentre),
            b.alerts.map(e).join(', '),
            num(b.monthlyUsd),
          ]),
        )
      : '<p>None declared.</p>';
  return section('cost', 'Cost', [
    `<p>${num(c.resources)} resources in the templates. <strong>${coverage.toFixed(1)}%</strong> of the ${num(c.taggable)} taggable ones carry every key of the cost-tag contract (${num(c.covered)}). One row per resource, with zone, product, cost centre, owner and attribution: <a href="${e(links.costCsv)}">cost-attribution.csv</a>.</p>`,
    '<h3>Resources by zone</h3>',
    counts('Resources by zone', 'zone', c.byZone),
    '<h3>Resources by product</h3>',
    counts(
      'Resources by product tag (shared parts carry the name of the zone part they belong to)',
      'product',
      c.byProduct,
    ),
    '<h3>Resources by cost centre</h3>',
    counts('Resources by cost centre', 'cost centre', c.byCostCentre),
    '<h3>Budgets by product</h3>',
    budgets(
      'Monthly budgets on the product tag, alerting at 80% actual and 100% forecast',
      'product',
      c.productBudgets,
    ),
    '<h3>Budgets by cost centre</h3>',
    table(
      "Monthly budgets by cost centre: the sum of its products' budgets and its own budget",
      ['cost centre', 'products', 'product budgets USD', 'cost-centre budget USD', 'total USD'],
      c.budgetsByCostCentre.map((b) => [
        e(b.costCentre),
        b.products.length ? b.products.map(e).join(', ') : '',
        num(b.productBudgetsUsd),
        b.costCentreBudgetUsd === undefined ? '' : num(b.costCentreBudgetUsd),
        num(b.productBudgetsUsd + (b.costCentreBudgetUsd ?? 0)),
      ]),
    ),
    '<h4>Back-office budgets</h4>',
    budgets(
      'Monthly back-office budgets on the cost-centre tag',
      'cost centre',
      c.costCentreBudgets,
    ),
    '<h3>Resources that cannot carry tags</h3>',
    `<p>${num(c.untaggable.reduce((n, u) => n + u.count, 0))} resources cannot carry tags in a template; each is attributed through the resource it is billed on, the stack tags at deploy, or costs nothing.</p>`,
    table(
      'Untaggable resources by type and how they are attributed',
      ['type', 'resources', 'attribution', 'note'],
      c.untaggable.map((u) => [code(u.type), num(u.count), e(u.attribution), e(u.note ?? '')]),
    ),
  ]);
}

function securitySection(model: PageModel, links: PageLinks): string {
  const s = model.security;
  const open = s.packs.reduce((n, p) => n + p.findings.length, 0);
  const acked = s.packs.reduce((n, p) => n + p.acknowledged.length, 0);
  const status = s.validated
    ? `<p class="${open === 0 ? 'pass' : 'fail'}"><strong>${open === 0 ? 'Passed' : 'Failed'}</strong>: ${count(open, 'open finding')}, ${count(acked, 'acknowledged finding')}, from ${count(s.packs.length, 'pack')}.</p>`
    : '<p class="fail"><strong>Not validated</strong>: no <code>validation-report.json</code> was written on this synth.</p>';
  return section('security', 'Security', [
    status,
    `<p>For code-scanning tools: <a href="${e(links.sarif)}">security-report.sarif</a> (SARIF 2.1.0).</p>`,
    table(
      'Security packs',
      ['pack', 'rules run', 'open findings', 'acknowledged'],
      s.packs.map((p) => [
        e(p.name),
        num(p.rules.length),
        num(p.findings.length),
        num(p.acknowledged.length),
      ]),
    ),
    ...s.packs.map(packSection),
    accessPathsSection(model.accessPaths, links),
  ]);
}

function packSection(pack: PackResult): string {
  const id = `pack-${slug(pack.name)}`;
  return [
    `<section aria-labelledby="${id}">`,
    `<h3 id="${id}">${e(pack.name)}</h3>`,
    `<h4>Open findings (${pack.findings.length})</h4>`,
    pack.findings.length
      ? table(
          `Open findings of ${pack.name}`,
          ['finding', 'severity', 'construct', 'fix'],
          pack.findings.map((f) => [
            code(f.findingId),
            e(f.severity),
            code(f.constructPath),
            e(f.fix ?? ''),
          ]),
        )
      : '<p>None.</p>',
    `<h4>Acknowledgments (${pack.acknowledged.length})</h4>`,
    pack.acknowledged.length
      ? table(
          `Acknowledged findings of ${pack.name}`,
          ['finding', 'construct', 'reason', 'reference'],
          pack.acknowledged.map((f: SecurityFinding) => [
            code(f.findingId),
            code(f.constructPath),
            e(reasonText(f)),
            e(f.acknowledgment?.reference ?? ''),
          ]),
        )
      : '<p>None.</p>',
    `<details><summary>Rules run (${pack.rules.length})</summary>`,
    table(
      `Rules ${pack.name} ran`,
      ['rule', 'level', 'checks'],
      pack.rules.map((r: RuleDescriptor) => [code(r.id), e(r.level), e(firstSentence(r.info))]),
    ),
    '</details>',
    '</section>',
  ].join('\n');
}

function accessPathsSection(read: AccessPathsRead, links: PageLinks): string {
  const heading = '<h3 id="access-paths">Access paths</h3>';
  if (read.state === 'absent') {
    return `${heading}\n<p>No <code>access-paths.json</code> in this cloud assembly: the access paths were not evaluated on this synth.</p>`;
  }
  if (read.state === 'unreadable') {
    return `${heading}\n<p class="fail"><code>access-paths.json</code> could not be read: ${e(read.problem)}</p>`;
  }
  const r = read.report;
  const intro = `<p>Each path that CloudFormation and AWS services need, asked of ${e(r.engine.name)} ${e(r.engine.version)}${r.simulation ? ' (a simulation of IAM, not AWS itself)' : ''}: ${num(r.summary.passed)} of ${num(r.summary.total)} as expected, ${num(r.summary.failed)} not. Source: <a href="${e(links.accessPaths)}">access-paths.json</a>.</p>`;
  if (!r.evaluated) {
    return [
      heading,
      intro,
      `<p class="fail"><strong>Not evaluated</strong>: ${e(r.notEvaluatedReason ?? '')}</p>`,
    ].join('\n');
  }
  return [
    heading,
    intro,
    table(
      'Access paths and their decisions',
      [
        'path',
        'phase',
        'principal, action, resource',
        'expected',
        'decision',
        'result',
        'deciding statements',
      ],
      r.paths.map((p) => [
        `${code(p.id)}<br>${e(p.description)}`,
        e(p.phase),
        `${code(p.principal)}<br>${code(p.action)}<br>${code(p.resource)}`,
        e(p.expect),
        e(p.decision),
        p.pass
          ? '<span class="pass">as expected</span>'
          : '<strong class="fail">not as expected</strong>',
        p.decidingStatements
          .map((d) => e([d.policy, d.sid].filter(Boolean).join(': ')))
          .join('<br>'),
      ]),
    ),
  ].join('\n');
}

/** A zone tag value with the name the cost category gives it: `front-office (Front office)`. */
function zoneName(model: PageModel, key: string): string {
  const label = model.zones.find((z) => z.zone === key)?.label;
  return label ? `${e(key)} (${e(label)})` : e(key);
}

/** The reason without its trailing `(ref DEC-00N)`, which has a column of its own. */
function reasonText(f: SecurityFinding): string {
  return (f.acknowledgment?.reason ?? '').replace(/\s*\(ref [A-Z][A-Z0-9]*-[0-9]+\)$/, '');
}

function section(id: string, heading: string, body: readonly string[]): string {
  return [
    `<section id="${id}" aria-labelledby="${id}-heading">`,
    `<h2 id="${id}-heading">${e(heading)}</h2>`,
    ...body,
    '</section>',
  ].join('\n');
}

/** A table with a caption and column headers; cells are HTML already. */
function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  return [
    '<div class="table"><table>',
    `<caption>${e(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`),
    '</tbody>',
    '</table></div>',
  ].join('\n');
}

function code(text: string): string {
  return `<code>${e(text)}</code>`;
}

function num(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${num(n)} ${n === 1 ? noun : plural}`;
}

function firstSentence(text: string): string {
  return text.split(/(?<=\.)\s/)[0];
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Escapes text for HTML content and attribute values. */
export function e(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Colours meet WCAG AA contrast (text #1a202c on white: 16:1; links #1a4f8b: 8:1). */
const CSS = `
:root { color: #1a202c; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; line-height: 1.45; }
body { margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem 3rem; }
a { color: #1a4f8b; }
h1 { font-size: 1.7rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #cbd5e0; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
nav ul { display: flex; gap: 1.2rem; list-style: none; padding: 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.88em; word-break: break-word; }
figure.picture { margin: 1rem 0 2rem; }
figure.picture h3 { margin-top: 0; }
.svg { overflow-x: auto; }
.svg svg { max-width: 100%; height: auto; }
p.alt { font-size: 0.85rem; color: #4a5568; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4rem 0 1rem; font-size: 0.9rem; }
caption { text-align: left; font-size: 0.85rem; color: #4a5568; padding-bottom: 0.25rem; }
th, td { border: 1px solid #cbd5e0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
.pass { color: #22543d; }
.fail { color: #9b2c2c; }
details { margin-bottom: 1rem; }
@media print {
  body { max-width: none; padding: 0; }
  nav { display: none; }
  .svg, .table { overflow: visible; }
  figure.picture, tr { break-inside: avoid; }
  a { color: inherit; }
}
`;
