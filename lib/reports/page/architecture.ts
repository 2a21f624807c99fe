import type { ArchitectureModel, PageConsumer } from './model';

/**
 * At most this many consumers (products and partners) in one picture. Beyond it the page draws
 * an overview with one box per cost centre and then one picture per page of consumers
 * (docs/decisions.md, DEC-026).
 */
export const CONSUMERS_PER_PICTURE = 12;

/** One architecture picture: a DOT graph and the text that stands for it. */
export interface ArchitecturePicture {
  /** Unique in the page; every SVG id of the picture starts with it. */
  readonly id: string;
  readonly title: string;
  /** The text alternative: what the picture shows, in sentences. */
  readonly description: string;
  readonly dot: string;
  /** Which consumers it draws one by one (empty for the overview). */
  readonly consumers: readonly string[];
}

/** The colours of the picture: dark text on light fills, well above 4.5:1 contrast. */
const STYLE = {
  text: '#1a202c',
  edge: '#4a5568',
  frontOffice: { fill: '#ebf4ff', line: '#2c5282' },
  integration: { fill: '#fffaf0', line: '#975a16' },
  backOffice: { fill: '#f0fff4', line: '#276749' },
  group: { fill: '#ffffff', line: '#718096' },
};

/** The id of a consumer in the SVG, without the picture prefix: `product-web-shop`. */
export function consumerNodeId(c: Pick<PageConsumer, 'kind' | 'name'>): string {
  return `${c.kind}-${c.name}`;
}

/** The id of a scope node: `scope-orders/write`. */
export function scopeNodeId(scope: string): string {
  return `scope-${scope}`;
}

/** The id of a capability node: `capability-orders`. */
export function capabilityNodeId(name: string): string {
  return `capability-${name}`;
}

/** The id of the edge from a consumer to a scope it consumes. */
export function consumesEdgeId(c: Pick<PageConsumer, 'kind' | 'name'>, scope: string): string {
  return `consumes-${consumerNodeId(c)}-${scope}`;
}

/**
 * The pictures of the architecture: the whole enterprise in one picture when it has at most
 * {@link CONSUMERS_PER_PICTURE} consumers; else an overview (consumers grouped by cost centre)
 * followed by pages of consumers, each with the broker scopes and capabilities it uses.
 */
export function architecturePictures(model: ArchitectureModel): ArchitecturePicture[] {
  const consumers = sortedConsumers(model.consumers);
  if (consumers.length <= CONSUMERS_PER_PICTURE) {
    return [
      detailPicture(
        model,
        consumers,
        'whole',
        'The enterprise: every consumer, through the broker, to the back office',
      ),
    ];
  }
  const pages = paginate(consumers);
  return [
    overviewPicture(model, consumers),
    ...pages.map((page, i) =>
      detailPicture(
        model,
        page,
        `page-${i + 1}`,
        `Consumers ${i + 1} of ${pages.length}: ${groupKeys(page).join(', ')}`,
      ),
    ),
  ];
}

/** Products by cost centre then name, partners last. */
function sortedConsumers(consumers: readonly PageConsumer[]): PageConsumer[] {
  return [...consumers].sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'product' ? -1 : 1) ||
      groupKey(a).localeCompare(groupKey(b)) ||
      a.name.localeCompare(b.name),
  );
}

/** The group a consumer is drawn in: its cost centre, or `partners`. */
function groupKey(c: PageConsumer): string {
  return c.kind === 'partner' ? 'partners' : (c.costCentre ?? '(no cost centre)');
}

function groupKeys(consumers: readonly PageConsumer[]): string[] {
  return [...new Set(consumers.map(groupKey))];
}

/**
 * Pages of at most {@link CONSUMERS_PER_PICTURE} consumers. A group (cost centre) that fits on
 * one page is not split across two; a larger group fills pages of its own.
 */
function paginate(consumers: readonly PageConsumer[]): PageConsumer[][] {
  const pages: PageConsumer[][] = [];
  let page: PageConsumer[] = [];
  for (const key of groupKeys(consumers)) {
    const group = consumers.filter((c) => groupKey(c) === key);
    if (page.length > 0 && page.length + group.length > CONSUMERS_PER_PICTURE) {
      pages.push(page);
      page = [];
    }
    for (const c of group) {
      if (page.length === CONSUMERS_PER_PICTURE) {
        pages.push(page);
        page = [];
      }
      page.push(c);
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function detailPicture(
  model: ArchitectureModel,
  consumers: readonly PageConsumer[],
  id: string,
  title: string,
): ArchitecturePicture {
  const p = (nodeId: string) => `${id}-${nodeId}`;
  const used = new Set(consumers.flatMap((c) => c.scopes));
  // The whole enterprise shows every scope and capability; a page only those its consumers use.
  const whole = id === 'whole';
  const capabilities = model.backOffice.capabilities.filter(
    (cap) => whole || cap.scopes.some((s) => used.has(s)),
  );
  const lines = graphHeader(id);

  lines.push(
    ...zoneCluster(
      p('zone-front-office'),
      'front-office',
      'Front office',
      'self-service products and declared partners',
      STYLE.frontOffice,
    ),
  );
  for (const key of groupKeys(consumers)) {
    const group = consumers.filter((c) => groupKey(c) === key);
    lines.push(
      `subgraph ${q(`cluster_${p(`group-${key}`)}`)} {`,
      `id=${q(p(`group-${key}`))}; class="oz-group";`,
      `label=${label(key === 'partners' ? 'Partners' : `Cost centre ${key}`)}; labeljust="l"; style="rounded,filled"; fillcolor="${STYLE.group.fill}"; color="${STYLE.group.line}";`,
    );
    for (const c of group) {
      const details =
        c.kind === 'product'
          ? [c.owner, `${c.costCentre ?? ''} · budget ${usd(c.monthlyBudgetUsd ?? 0)} USD/month`]
          : [c.owner, 'partner · billed to the broker'];
      lines.push(
        `${q(p(consumerNodeId(c)))} [id=${q(p(consumerNodeId(c)))}, class="oz-consumer oz-${c.kind}", color="${STYLE.frontOffice.line}", label=${label(c.name, details)}];`,
      );
    }
    lines.push('}');
  }
  lines.push('}');

  lines.push(...brokerCluster(model, p, (scope) => whole || used.has(scope)));
  lines.push(
    ...backOfficeCluster(
      model,
      p,
      capabilities.map((c) => c.name),
    ),
  );

  for (const c of consumers) {
    for (const scope of c.scopes) {
      lines.push(
        `${q(p(consumerNodeId(c)))} -> ${q(p(scopeNodeId(scope)))} [id=${q(p(consumesEdgeId(c, scope)))}, class="oz-consumes"];`,
      );
    }
  }
  lines.push(...servesEdges(model, p, (scope) => whole || used.has(scope)));
  lines.push('}');

  const description = [
    describeZones(model),
    ...consumers.map(
      (c) =>
        `${c.kind === 'product' ? 'Product' : 'Partner'} ${c.name} (owner ${c.owner}${c.costCentre ? `, cost centre ${c.costCentre}` : ''}) consumes ${c.scopes.length ? c.scopes.join(', ') : 'no scope'}.`,
    ),
    describeServes(model, (scope) => whole || used.has(scope)),
  ].join(' ');
  return {
    id,
    title,
    description,
    dot: lines.join('\n'),
    consumers: consumers.map((c) => consumerNodeId(c)),
  };
}

/** One box per cost centre (and one for the partners), with an edge per scope its consumers use. */
function overviewPicture(
  model: ArchitectureModel,
  consumers: readonly PageConsumer[],
): ArchitecturePicture {
  const id = 'overview';
  const p = (nodeId: string) => `${id}-${nodeId}`;
  const lines = graphHeader(id);
  const groups = groupKeys(consumers).map((key) => {
    const members = consumers.filter((c) => groupKey(c) === key);
    const scopes = new Map<string, number>();
    for (const c of members) for (const s of c.scopes) scopes.set(s, (scopes.get(s) ?? 0) + 1);
    return { key, members, scopes };
  });
  lines.push(
    ...zoneCluster(
      p('zone-front-office'),
      'front-office',
      'Front office',
      `${model.consumers.length} consumers, grouped by cost centre`,
      STYLE.frontOffice,
    ),
  );
  for (const g of groups) {
    const products = g.members.filter((c) => c.kind === 'product');
    const owners = new Set(g.members.map((c) => c.owner));
    const heading = g.key === 'partners' ? 'Partners' : `Cost centre ${g.key}`;
    const details =
      g.key === 'partners'
        ? [`${g.members.length} declared partner${g.members.length === 1 ? '' : 's'}`]
        : [
            `${products.length} product${products.length === 1 ? '' : 's'}, ${owners.size} owner${owners.size === 1 ? '' : 's'}`,
            `budget ${usd(products.reduce((n, c) => n + (c.monthlyBudgetUsd ?? 0), 0))} USD/month`,
          ];
    // The number of consumers per scope is text in the box: edge labels would make Graphviz
    // route every edge around its label.
    details.push(
      [...g.scopes]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([scope, n]) => `${scope} ×${n}`)
        .join(' · '),
    );
    lines.push(
      `${q(p(`group-${g.key}`))} [id=${q(p(`group-${g.key}`))}, class="oz-group", color="${STYLE.frontOffice.line}", label=${label(heading, details)}];`,
    );
  }
  lines.push('}');
  lines.push(...brokerCluster(model, p, () => true));
  lines.push(
    ...backOfficeCluster(
      model,
      p,
      model.backOffice.capabilities.map((c) => c.name),
    ),
  );
  for (const g of groups) {
    for (const [scope, n] of g.scopes) {
      lines.push(
        `${q(p(`group-${g.key}`))} -> ${q(p(scopeNodeId(scope)))} [id=${q(p(`consumes-group-${g.key}-${scope}`))}, class="oz-consumes", penwidth=${Math.min(1 + Math.log2(n), 5).toFixed(1)}];`,
      );
    }
  }
  lines.push(...servesEdges(model, p, () => true));
  lines.push('}');
  const description = [
    describeZones(model),
    ...groups.map(
      (g) =>
        `${g.key === 'partners' ? 'The partners' : `Cost centre ${g.key}`} (${g.members.length} consumers) use ${[...g.scopes].map(([s, n]) => `${s} (${n})`).join(', ') || 'no scope'}.`,
    ),
    describeServes(model, () => true),
  ].join(' ');
  return {
    id,
    title: 'Overview: consumers grouped by cost centre',
    description,
    dot: lines.join('\n'),
    consumers: [],
  };
}

function graphHeader(id: string): string[] {
  const font = 'Helvetica,Arial,sans-serif';
  return [
    `digraph ${q(id)} {`,
    `graph [id=${q(id)}, rankdir=LR, ranksep=0.9, nodesep=0.22, newrank=true, fontname="${font}", fontsize=13, fontcolor="${STYLE.text}", bgcolor="transparent", pad=0.2];`,
    `node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="${font}", fontsize=11, fontcolor="${STYLE.text}", margin="0.22,0.1", penwidth=1.2];`,
    `edge [color="${STYLE.edge}", fontname="${font}", fontsize=10, fontcolor="${STYLE.text}", arrowsize=0.7];`,
  ];
}

function zoneCluster(
  id: string,
  zone: string,
  name: string,
  subtitle: string,
  colours: { fill: string; line: string },
): string[] {
  return [
    `subgraph ${q(`cluster_${id}`)} {`,
    `id=${q(id)}; class="oz-zone oz-zone-${zone}";`,
    `label=${label(name, [subtitle])}; labeljust="l"; style="rounded,filled"; fillcolor="${colours.fill}"; color="${colours.line}"; penwidth=1.5;`,
  ];
}

function brokerCluster(
  model: ArchitectureModel,
  p: (id: string) => string,
  shown: (scope: string) => boolean,
): string[] {
  const scopes = [...new Set(model.broker.routes.map((r) => r.scope))].filter(shown);
  const lines = zoneCluster(
    p('zone-integration'),
    'integration',
    'Broker, the only door (integration)',
    `${model.broker.owner} · ${model.broker.costCentre}`,
    STYLE.integration,
  );
  for (const scope of scopes) {
    const routes = model.broker.routes.filter((r) => r.scope === scope);
    lines.push(
      `${q(p(scopeNodeId(scope)))} [id=${q(p(scopeNodeId(scope)))}, class="oz-scope", color="${STYLE.integration.line}", label=${label(
        `scope ${scope}`,
        routes.map((r) => `${r.method} ${r.path}`),
      )}];`,
    );
  }
  lines.push('}');
  return lines;
}

function backOfficeCluster(
  model: ArchitectureModel,
  p: (id: string) => string,
  names: readonly string[],
): string[] {
  const bo = model.backOffice;
  const lines = zoneCluster(
    p('zone-back-office'),
    'back-office',
    'Back office (governed)',
    `${bo.owner} · ${bo.costCentre}`,
    STYLE.backOffice,
  );
  for (const cap of bo.capabilities.filter((c) => names.includes(c.name))) {
    lines.push(
      `${q(p(capabilityNodeId(cap.name)))} [id=${q(p(capabilityNodeId(cap.name)))}, class="oz-capability", color="${STYLE.backOffice.line}", label=${label(cap.name, [cap.owner, cap.costCentre])}];`,
    );
  }
  lines.push('}');
  return lines;
}

function servesEdges(
  model: ArchitectureModel,
  p: (id: string) => string,
  shown: (scope: string) => boolean,
): string[] {
  const pairs = new Set(
    model.broker.routes.filter((r) => shown(r.scope)).map((r) => `${r.scope}\u0000${r.capability}`),
  );
  return [...pairs].map((pair) => {
    const [scope, capability] = pair.split('\u0000');
    return `${q(p(scopeNodeId(scope)))} -> ${q(p(capabilityNodeId(capability)))} [id=${q(p(`serves-${scope}`))}, class="oz-serves", color="${STYLE.integration.line}"];`;
  });
}

function describeZones(model: ArchitectureModel): string {
  return `Three zones: the front office, the broker (integration, owned by ${model.broker.owner}, cost centre ${model.broker.costCentre}) and the back office (owned by ${model.backOffice.owner}, cost centre ${model.backOffice.costCentre}). Every arrow from the front office ends at a broker scope; only the broker reaches the back office.`;
}

function describeServes(model: ArchitectureModel, shown: (scope: string) => boolean): string {
  return model.backOffice.capabilities
    .map((cap) => {
      const scopes = cap.scopes.filter(shown);
      return scopes.length
        ? `Capability ${cap.name} (owner ${cap.owner}, cost centre ${cap.costCentre}) serves ${scopes.join(', ')}.`
        : '';
    })
    .filter(Boolean)
    .join(' ');
}

/**
 * A label of centred lines, the first one the heading (the page sets it in bold). Plain labels,
 * not HTML-like ones: Graphviz anchors each plain line at its centre, so a reader's font that is
 * wider than Graphviz's estimate still stays centred in its box.
 */
function label(heading: string, lines: readonly string[] = []): string {
  return `"${[heading, ...lines].map(dotText).join('\\n')}"`;
}

/** Escapes text inside a DOT quoted string (label escapes such as `\n` included). */
function dotText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A DOT quoted string. */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function usd(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
