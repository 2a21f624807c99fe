import type { Blueprint } from '../../blueprint';
import { capabilityScopeNames, ZONE_LABELS, ZONES } from '../../blueprint';
import { costCentreBudgetName, productBudgetName } from '../../blueprint/names';
import { brokerManifest } from '../../contract/broker-manifest';
import type { AttributionRow } from '../cost-attribution-report';
import type { SecurityResults } from '../security-findings';
import { untaggableAttribution } from '../untaggable-attribution';
import type { AccessPathsRead } from './access-paths';

/** A product or declared partner as the page draws it. */
export interface PageConsumer {
  readonly kind: 'product' | 'partner';
  readonly name: string;
  readonly owner: string;
  /** The product's cost centre; a partner's calls are billed on the broker's user pool and API. */
  readonly costCentre?: string;
  readonly monthlyBudgetUsd?: number;
  /** The broker scopes it consumes. */
  readonly scopes: readonly string[];
}

/** A back-office capability. */
export interface PageCapability {
  readonly name: string;
  readonly description?: string;
  readonly owner: string;
  readonly costCentre: string;
  /** The scopes its resource server offers, e.g. `orders/write`. */
  readonly scopes: readonly string[];
}

/** A route of the broker, with where it goes and who may call it. */
export interface PageRoute {
  readonly method: string;
  readonly path: string;
  readonly scope: string;
  readonly operation: string;
  readonly kind: 'command' | 'query';
  readonly capability: string;
  /** What the broker hands the call to. */
  readonly target: string;
  /** `product.<name>` and `partner.<name>` of every declared consumer holding the scope. */
  readonly consumers: readonly string[];
}

/** A count of resources, taggable and not. */
export interface ResourceCount {
  readonly key: string;
  readonly taggable: number;
  readonly untaggable: number;
}

/** The untaggable resources of one type, and how they are attributed. */
export interface UntaggableGroup {
  readonly type: string;
  readonly count: number;
  /** How (e.g. `billed through AWS::ApiGateway::RestApi`, `no charge`). */
  readonly attribution: string;
  readonly note?: string;
}

/** A monthly budget. */
export interface PageBudget {
  /** The product or cost centre it watches. */
  readonly subject: string;
  readonly name: string;
  readonly costCentre: string;
  readonly alerts: readonly string[];
  readonly monthlyUsd: number;
}

/** The monthly budgets that watch one cost centre's spend. */
export interface CostCentreBudgets {
  readonly costCentre: string;
  /** Products of the cost centre with a budget each. */
  readonly products: readonly string[];
  readonly productBudgetsUsd: number;
  /** The cost centre's own budget (`backOffice.budgets`), if any. */
  readonly costCentreBudgetUsd?: number;
}

/** Everything the page shows, computed once from the synthesized app and its reports' data. */
export interface PageModel {
  readonly enterprise: string;
  readonly environment: string;
  readonly zones: readonly { readonly zone: string; readonly label: string }[];
  readonly backOffice: {
    readonly owner: string;
    readonly costCentre: string;
    readonly capabilities: readonly PageCapability[];
  };
  readonly broker: {
    readonly owner: string;
    readonly costCentre: string;
    readonly stack: string;
    readonly routes: readonly PageRoute[];
  };
  readonly consumers: readonly PageConsumer[];
  readonly cost: {
    readonly resources: number;
    readonly taggable: number;
    /** Taggable resources that carry every key of the cost-tag contract. */
    readonly covered: number;
    readonly byZone: readonly ResourceCount[];
    readonly byProduct: readonly ResourceCount[];
    readonly byCostCentre: readonly ResourceCount[];
    readonly untaggable: readonly UntaggableGroup[];
    readonly productBudgets: readonly PageBudget[];
    readonly costCentreBudgets: readonly PageBudget[];
    /** Every budgeted cost centre: its products' budgets and its own (back-office) budget. */
    readonly budgetsByCostCentre: readonly CostCentreBudgets[];
  };
  readonly security: SecurityResults;
  readonly accessPaths: AccessPathsRead;
}

/** What the page model is computed from. */
export interface PageSources {
  readonly blueprint: Blueprint;
  /** The rows of `cost-attribution.csv`. */
  readonly rows: readonly AttributionRow[];
  readonly security: SecurityResults;
  readonly accessPaths: AccessPathsRead;
}

/**
 * What the architecture pictures are drawn from: the back office, the broker and the consumers,
 * all from the blueprint alone, so that a synth can lay the pictures out before it has
 * synthesized anything (`layoutSvgAhead`).
 */
export type ArchitectureModel = Pick<PageModel, 'backOffice' | 'broker' | 'consumers'>;

/** The blueprint as the broker publishes it: the part of the page model the pictures draw. */
export function architectureModel(blueprint: Blueprint): ArchitectureModel {
  const manifest = brokerManifest(blueprint);
  const backOffice = blueprint.backOffice;
  const capabilities = backOffice.capabilities.map((c): PageCapability => ({
    name: c.name,
    description: c.description,
    owner: c.owner,
    costCentre: c.costCentre ?? backOffice.costCentre,
    scopes: capabilityScopeNames(c).map((s) => `${c.name}/${s}`),
  }));
  const consumers = [
    ...blueprint.frontOffice.products.map((p): PageConsumer => ({
      kind: 'product',
      name: p.name,
      owner: p.owner,
      costCentre: p.costCentre,
      monthlyBudgetUsd: p.monthlyBudgetUsd,
      scopes: [...p.consumes],
    })),
    ...blueprint.broker.partners.map((p): PageConsumer => ({
      kind: 'partner',
      name: p.name,
      owner: p.owner,
      scopes: [...p.scopes],
    })),
  ];
  const routes = manifest.routes.map((r): PageRoute => {
    const capability = r.operation.split('.')[0];
    return {
      ...r,
      capability,
      // The broker's service integrations (constructs/broker): a command goes to the
      // capability's intake queue, a query reads its ledger.
      target:
        r.kind === 'command'
          ? `${capability} intake queue (SQS)`
          : `${capability} ledger (DynamoDB)`,
      consumers: manifest.consumers
        .filter((c) => c.scopes.includes(r.scope))
        .map((c) => c.clientName),
    };
  });
  return {
    backOffice: { owner: backOffice.owner, costCentre: backOffice.costCentre, capabilities },
    broker: {
      owner: blueprint.broker.owner,
      costCentre: blueprint.broker.costCentre,
      stack: manifest.brokerStack,
      routes,
    },
    consumers,
  };
}

/** Builds the page model: the blueprint as the broker publishes it, the cost rows, the findings. */
export function pageModel(sources: PageSources): PageModel {
  const { blueprint, rows } = sources;
  const backOffice = blueprint.backOffice;
  const count = (by: (r: AttributionRow) => string): ResourceCount[] => {
    const m = new Map<string, { taggable: number; untaggable: number }>();
    for (const r of rows) {
      const key = by(r) || '(none)';
      const e = m.get(key) ?? { taggable: 0, untaggable: 0 };
      if (r.taggable === 'yes') e.taggable++;
      else e.untaggable++;
      m.set(key, e);
    }
    return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([key, e]) => ({ key, ...e }));
  };
  const untaggable = new Map<string, UntaggableGroup>();
  for (const r of rows.filter((row) => row.taggable !== 'yes')) {
    // The parent's logical id differs per resource; the page groups by the kind of attribution.
    const attribution = r.attribution.replace(/^(billed through \S+) \S+$/, '$1');
    const key = `${r.type}\u0000${attribution}`;
    const e = untaggable.get(key);
    untaggable.set(key, {
      type: r.type,
      attribution,
      note: untaggableAttribution(r.type)?.note,
      count: (e?.count ?? 0) + 1,
    });
  }
  const taggable = rows.filter((r) => r.taggable === 'yes');
  const products = blueprint.frontOffice.products;
  const ownBudgets = backOffice.budgets ?? [];
  const budgetsByCostCentre = [
    ...new Set([...products.map((p) => p.costCentre), ...ownBudgets.map((b) => b.costCentre)]),
  ]
    .sort()
    .map((costCentre): CostCentreBudgets => {
      const of = products.filter((p) => p.costCentre === costCentre);
      return {
        costCentre,
        products: of.map((p) => p.name),
        productBudgetsUsd: of.reduce((n, p) => n + p.monthlyBudgetUsd, 0),
        costCentreBudgetUsd: ownBudgets.find((b) => b.costCentre === costCentre)?.monthlyBudgetUsd,
      };
    });

  return {
    enterprise: blueprint.enterprise,
    environment: blueprint.environment,
    zones: ZONES.map((zone) => ({ zone, label: ZONE_LABELS[zone] })),
    ...architectureModel(blueprint),
    cost: {
      resources: rows.length,
      taggable: taggable.length,
      covered: taggable.filter((r) => r.missingKeys.length === 0).length,
      byZone: count((r) => r.zone),
      byProduct: count((r) => r.product),
      byCostCentre: count((r) => r.costCentre),
      untaggable: [...untaggable.values()].sort(
        (a, b) => b.count - a.count || a.type.localeCompare(b.type),
      ),
      productBudgets: blueprint.frontOffice.products.map((p) => ({
        subject: p.name,
        name: productBudgetName(blueprint, p.name),
        costCentre: p.costCentre,
        alerts: [p.owner],
        monthlyUsd: p.monthlyBudgetUsd,
      })),
      costCentreBudgets: (backOffice.budgets ?? []).map((b) => ({
        subject: b.costCentre,
        name: costCentreBudgetName(blueprint, b.costCentre),
        costCentre: b.costCentre,
        alerts: b.notify ?? [backOffice.owner],
        monthlyUsd: b.monthlyBudgetUsd,
      })),
      budgetsByCostCentre,
    },
    security: sources.security,
    accessPaths: sources.accessPaths,
  };
}
