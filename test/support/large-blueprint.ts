import type { BlueprintInput } from '../../lib/blueprint';
import { REFERENCE_BLUEPRINT } from '../../lib/blueprint';

/** What a large enterprise declares, for scale tests and benchmarks. */
export interface LargeBlueprintOptions {
  /** Front-office products, each a stack of its own. */
  readonly products: number;
  /**
   * Back-office capabilities: the reference's `orders` and `catalog`, then capabilities with one
   * command and one query each.
   * @default 2
   */
  readonly capabilities?: number;
  /**
   * Which components every product has.
   * @default - web, api and data
   */
  readonly components?: ReadonlyArray<'web' | 'api' | 'data'>;
}

/**
 * The reference blueprint grown as a user would grow it: every product with its own cost centre
 * and two or three scopes, every extra capability with a command and a query, back-office budgets
 * for every cost centre.
 */
export function largeBlueprint(options: LargeBlueprintOptions): BlueprintInput {
  const capabilityCount = options.capabilities ?? 2;
  const components = options.components ?? ['web', 'api', 'data'];
  const reference = REFERENCE_BLUEPRINT;
  const extra = Array.from({ length: Math.max(0, capabilityCount - 2) }, (_, i) => {
    const name = `cap${i + 3}`;
    return {
      name,
      description: `Capability ${i + 3}.`,
      owner: `${name}@northwind.example`,
      costCentre: `CC-${String(5000 + i).padStart(4, '0')}`,
      change: { owner: 'change-board@northwind.example', reference: `CHG-${2000 + i}` },
      ledger: { partitionKey: 'recordId' },
      operations: [
        {
          name: 'record',
          kind: 'command' as const,
          path: `/${name}/records`,
          body: {
            $schema: 'http://json-schema.org/draft-04/schema#',
            type: 'object',
            additionalProperties: false,
            required: ['recordId'],
            properties: { recordId: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } },
          },
        },
        { name: 'get', kind: 'query' as const, path: `/${name}/records/{recordId}` },
      ],
    };
  });
  const capabilities = [...reference.backOffice.capabilities, ...extra];
  const scopes = capabilities.flatMap((c) =>
    c.operations.map((o) => `${c.name}/${o.kind === 'command' ? 'write' : 'read'}`),
  );
  const products = Array.from({ length: options.products }, (_, i) => ({
    name: `product-${i + 1}`,
    description: `Product ${i + 1}.`,
    owner: `product-${i + 1}@northwind.example`,
    costCentre: `CC-${String(6000 + (i % 3000)).padStart(4, '0')}`,
    monthlyBudgetUsd: 100,
    components: {
      ...(components.includes('web') ? { web: { countries: ['GB'] } } : {}),
      ...(components.includes('api') ? { api: {} } : {}),
      ...(components.includes('data') ? { data: {} } : {}),
    },
    consumes: [...new Set([scopes[i % scopes.length]!, 'catalog/read', 'orders/read'])],
  }));
  const budgets = [
    ...(reference.backOffice.budgets ?? []),
    ...extra.map((c) => ({ costCentre: c.costCentre, monthlyBudgetUsd: 100 })),
  ];
  // The account quotas an enterprise of this size has had raised (lib/stacks/limits.ts checks
  // them): one origin access control and distribution per web product, up to five roles per
  // product. Declared only above AWS's defaults, so a small blueprint stays the reference's.
  const n = options.products;
  const accountQuotas = {
    ...(components.includes('web') && n > 100 ? { cloudFrontOriginAccessControls: n } : {}),
    ...(components.includes('web') && n > 500 ? { cloudFrontDistributions: n } : {}),
    ...(n * 5 + 100 > 1000 ? { iamRoles: n * 5 + 100 } : {}),
  };
  return {
    ...reference,
    ...(Object.keys(accountQuotas).length
      ? { deployment: { ...reference.deployment, accountQuotas } }
      : {}),
    backOffice: { ...reference.backOffice, capabilities, budgets },
    frontOffice: { products },
  };
}
