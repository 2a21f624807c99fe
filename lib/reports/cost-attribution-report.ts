import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { readTags, tagSupport } from '../../constructs/cost-attribution/tag-support';
import { Blueprint, ZONE_LABELS, ZONES } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { costCentreBudgetName, productBudgetName } from '../blueprint/names';
import type { ReportContext } from './index';
import { untaggableAttribution } from './untaggable-attribution';

export const COST_ATTRIBUTION_CSV = 'cost-attribution.csv';
export const COST_ATTRIBUTION_SUMMARY = 'cost-attribution.md';

/** One resource of one template, as finance reads it. */
export interface AttributionRow {
  readonly stack: string;
  readonly constructPath: string;
  readonly logicalId: string;
  readonly type: string;
  readonly zone: string;
  readonly product: string;
  readonly costCentre: string;
  readonly owner: string;
  readonly environment: string;
  /** `yes`, `no`, or `unknown` for a type newer than the tag table. */
  readonly taggable: 'yes' | 'no' | 'unknown';
  /** `own tags`, `own tags (missing: K)`, `billed through <type> <id>`, `no charge`, ... */
  readonly attribution: string;
  /** Contract keys a taggable resource lacks in its template. */
  readonly missingKeys: readonly string[];
}

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

/**
 * `cost-attribution.csv` (one row per resource of every template in the cloud assembly) and
 * `cost-attribution.md` (tag coverage, resources by zone and cost centre, budgets).
 */
export function writeCostAttribution(ctx: ReportContext): string[] {
  const rows = attributionRows(
    ctx.outdir,
    ctx.blueprint,
    constructPaths(ctx.stacks.backOffice.node.root),
  );
  fs.writeFileSync(path.join(ctx.outdir, COST_ATTRIBUTION_CSV), toCsv(rows));
  fs.writeFileSync(
    path.join(ctx.outdir, COST_ATTRIBUTION_SUMMARY),
    attributionSummary(rows, ctx.blueprint),
  );
  return [COST_ATTRIBUTION_CSV, COST_ATTRIBUTION_SUMMARY];
}

/** The parts of a cloud assembly manifest artifact the report reads. */
interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly directoryName?: string;
    readonly stackName?: string;
    readonly tags?: Record<string, string>;
  };
}

/** A resource of a CloudFormation template. */
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

interface StackTemplate {
  readonly stackName: string;
  readonly file: string;
  readonly tags: Record<string, string>;
}

/**
 * Every stack template of the cloud assembly, from its manifest, with its stack tags, including
 * the stacks of nested assemblies (stages, such as the management account's).
 */
function stackTemplates(outdir: string): StackTemplate[] {
  const out: StackTemplate[] = [];
  const visit = (dir: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      artifacts?: Record<string, ManifestArtifact>;
    };
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        visit(path.join(dir, artifact.properties.directoryName));
        continue;
      }
      if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile)
        continue;
      out.push({
        stackName: artifact.properties.stackName ?? artifact.displayName ?? id,
        file: path.join(dir, artifact.properties.templateFile),
        tags: artifact.properties.tags ?? {},
      });
    }
  };
  visit(outdir);
  return out.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/** Construct path by stack name and logical id, for every CfnResource under a root (the app). */
export function constructPaths(root: IConstruct): Map<string, string> {
  const paths = new Map<string, string>();
  for (const node of root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const stack = Stack.of(node);
    paths.set(`${stack.stackName}/${stack.resolve(node.logicalId)}`, node.node.path);
  }
  return paths;
}

/** One row per resource of every stack template in `outdir`. */
export function attributionRows(
  outdir: string,
  blueprint: Pick<Blueprint, 'costTags'>,
  paths: ReadonlyMap<string, string> = new Map(),
): AttributionRow[] {
  const keys = contractKeys(blueprint);
  const c = blueprint.costTags;
  const rows: AttributionRow[] = [];
  for (const stack of stackTemplates(outdir)) {
    const template = JSON.parse(fs.readFileSync(stack.file, 'utf8'));
    const resources: Record<string, TemplateResource> = template.Resources ?? {};
    const tagsOf = (logicalId: string): Record<string, string> | undefined => {
      const r = resources[logicalId];
      const support = r && tagSupport(r.Type);
      return support ? readTags(r.Properties?.[support.property]) : undefined;
    };
    for (const [logicalId, resource] of Object.entries(resources)) {
      const type: string = resource.Type;
      const support = tagSupport(type);
      let tags: Record<string, string>;
      let attribution: string;
      let missingKeys: string[] = [];
      if (support) {
        tags = tagsOf(logicalId) ?? {};
        missingKeys = keys.filter((k) => !(k in tags));
        attribution =
          missingKeys.length === 0 ? 'own tags' : `own tags (missing: ${missingKeys.join(', ')})`;
      } else {
        const how = untaggableAttribution(type);
        tags = stack.tags;
        if (!how) {
          attribution =
            support === null
              ? 'unattributed: add the type to UNTAGGABLE_ATTRIBUTION'
              : 'unknown type';
        } else if (how.kind === 'no-charge') {
          attribution = 'no charge';
        } else if (how.kind === 'stack-tags') {
          attribution = 'stack tags at deploy';
        } else {
          const parent = how.via
            .map((p) => referencedLogicalId(resource.Properties?.[p]))
            .find((id) => id !== undefined && resources[id]);
          attribution = parent
            ? `billed through ${how.parent} ${parent}`
            : `billed through ${how.parent} (outside this stack)`;
          if (parent) tags = tagsOf(parent) ?? stack.tags;
        }
      }
      rows.push({
        stack: stack.stackName,
        constructPath:
          paths.get(`${stack.stackName}/${logicalId}`) ??
          String(resource.Metadata?.['aws:cdk:path'] ?? ''),
        logicalId,
        type,
        zone: tags[c.zone.key] ?? '',
        product: tags[c.product.key] ?? '',
        costCentre: tags[c.costCentre.key] ?? '',
        owner: tags[c.owner.key] ?? '',
        environment: tags[c.environment.key] ?? '',
        taggable: support ? 'yes' : support === null ? 'no' : 'unknown',
        attribution,
        missingKeys,
      });
    }
  }
  return rows;
}

/** The logical id a `Ref` or `Fn::GetAtt` names, if the value is one. */
function referencedLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** RFC 4180: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF. */
export function toCsv(rows: readonly AttributionRow[]): string {
  const field = (value: string) =>
    /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [
    HEADER,
    ...rows.map((r) => [
      r.stack,
      r.constructPath,
      r.logicalId,
      r.type,
      r.zone,
      r.product,
      r.costCentre,
      r.owner,
      r.environment,
      r.taggable,
      r.attribution,
    ]),
  ];
  return lines.map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The Markdown summary finance reads first. */
export function attributionSummary(rows: readonly AttributionRow[], blueprint: Blueprint): string {
  const keys = contractKeys(blueprint);
  const taggable = rows.filter((r) => r.taggable === 'yes');
  const covered = taggable.filter((r) => r.missingKeys.length === 0);
  const coverage = taggable.length === 0 ? 100 : (100 * covered.length) / taggable.length;
  const count = (by: (r: AttributionRow) => string) => {
    const m = new Map<string, { taggable: number; untaggable: number }>();
    for (const r of rows) {
      const k = by(r) || '(none)';
      const e = m.get(k) ?? { taggable: 0, untaggable: 0 };
      if (r.taggable === 'yes') e.taggable++;
      else e.untaggable++;
      m.set(k, e);
    }
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  const table = (head: string[], body: (string | number)[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...body.map((cells) => `| ${cells.join(' | ')} |`),
    ].join('\n');
  const usd = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

  const out: string[] = [
    `# Cost attribution: ${blueprint.enterprise} (${blueprint.environment})`,
    '',
    `Written by \`cdk synth\` from every template in this cloud assembly; one row per resource in [${COST_ATTRIBUTION_CSV}](${COST_ATTRIBUTION_CSV}).`,
    '',
    '## Tag coverage',
    '',
    `**${coverage.toFixed(1)}%** of taggable resources carry every key of the cost-tag contract (${keys.join(', ')}): ${covered.length} of ${taggable.length}.`,
  ];
  if (covered.length < taggable.length) {
    out.push(
      '',
      table(
        ['stack', 'logical id', 'type', 'missing keys'],
        taggable
          .filter((r) => r.missingKeys.length > 0)
          .map((r) => [r.stack, r.logicalId, r.type, r.missingKeys.join(', ')]),
      ),
    );
  }
  const unattributed = rows.filter((r) => r.taggable !== 'yes' && /^un/.test(r.attribution));
  out.push(
    '',
    `${rows.length - taggable.length} resources cannot carry tags; each is attributed through the resource it is billed on, the stack tags, or costs nothing${unattributed.length ? ` (${unattributed.length} without an attribution: ${[...new Set(unattributed.map((r) => r.type))].join(', ')})` : ''}.`,
    '',
    '## Resources by zone',
    '',
    table(
      ['zone', 'cost category value', 'taggable', 'untaggable'],
      count((r) => r.zone).map(([zone, e]) => [
        zone,
        (ZONES as readonly string[]).includes(zone)
          ? ZONE_LABELS[zone as keyof typeof ZONE_LABELS]
          : '',
        e.taggable,
        e.untaggable,
      ]),
    ),
    '',
    '## Resources by cost centre',
    '',
    table(
      ['cost centre', 'taggable', 'untaggable'],
      count((r) => r.costCentre).map(([cc, e]) => [cc, e.taggable, e.untaggable]),
    ),
    '',
    '## Budgets by product',
    '',
    'Monthly AWS Budgets on the product tag; the owner is alerted at 80% of actual and 100% of forecast spend.',
    '',
    table(
      ['product', 'budget', 'owner', 'cost centre', 'monthly USD'],
      blueprint.frontOffice.products.map((p) => [
        p.name,
        productBudgetName(blueprint, p.name),
        p.owner,
        p.costCentre,
        usd(p.monthlyBudgetUsd),
      ]),
    ),
  );
  const backOffice = blueprint.backOffice.budgets ?? [];
  out.push('', '## Back-office budgets by cost centre', '');
  out.push(
    backOffice.length
      ? table(
          ['cost centre', 'budget', 'alerts', 'monthly USD'],
          backOffice.map((b) => [
            b.costCentre,
            costCentreBudgetName(blueprint, b.costCentre),
            (b.notify ?? [blueprint.backOffice.owner]).join(', '),
            usd(b.monthlyBudgetUsd),
          ]),
        )
      : 'None declared (`backOffice.budgets`).',
  );
  const cm = blueprint.costManagement;
  out.push(
    '',
    '## In the management account',
    '',
    cm
      ? [
          `- Cost category **${cm.costCategoryName}** maps the ${blueprint.costTags.zone.key} tag: ${ZONES.map((z) => `\`${z}\` to ${ZONE_LABELS[z]}`).join(', ')}; anything else is Unattributed.`,
          cm.activateCostAllocationTags
            ? `- The contract's keys (${keys.join(', ')}) are activated as cost-allocation tags at deploy. A key is activated only once a resource carries it, and AWS can take up to 24 hours to see it: keys still pending at deploy are in the stack output \`PendingCostAllocationTags\` and are activated by a daily retry once AWS knows them.`
            : "- Cost-allocation tags are not activated by Office Zones: activate the contract's keys in the Billing console.",
        ].join('\n')
      : 'No cost-management stack (`costManagement` is not in the blueprint): create the cost category and activate the cost-allocation tags in the payer account yourself.',
    '',
  );
  return out.join('\n');
}
