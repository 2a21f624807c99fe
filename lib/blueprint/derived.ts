import type { Blueprint, Capability, Operation, Partner, Product, Zone } from './model';

/**
 * Facts derived from a parsed blueprint, computed in one place so that the stacks, the broker's
 * manifest, the reports and the CLI agree on them.
 */

export type HttpMethod = 'GET' | 'POST';

/** The scope name within its capability that an operation requires (`write`, `read`). */
export function operationScopeName(op: Pick<Operation, 'kind' | 'scope'>): string {
  return op.scope ?? (op.kind === 'command' ? 'write' : 'read');
}

/** The full OAuth scope an operation requires, e.g. `orders/write`. */
export function operationScope(capability: Pick<Capability, 'name'>, op: Operation): string {
  return `${capability.name}/${operationScopeName(op)}`;
}

export function operationMethod(op: Pick<Operation, 'kind'>): HttpMethod {
  return op.kind === 'command' ? 'POST' : 'GET';
}

/** Path parameters of a route, e.g. `['orderId']` for `/orders/{orderId}`. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Every scope the back office offers, with the capability that offers it. */
export function offeredScopes(blueprint: Pick<Blueprint, 'backOffice'>): Map<string, Capability> {
  const scopes = new Map<string, Capability>();
  for (const capability of blueprint.backOffice.capabilities) {
    for (const op of capability.operations) {
      scopes.set(operationScope(capability, op), capability);
    }
  }
  return scopes;
}

/** The scope names (without the capability prefix) a capability's resource server offers. */
export function capabilityScopeNames(capability: Capability): string[] {
  return [...new Set(capability.operations.map(operationScopeName))].sort();
}

/** Something that calls the broker with its own app client. */
export interface Consumer {
  readonly kind: 'product' | 'partner';
  readonly name: string;
  readonly owner: string;
  readonly scopes: string[];
  readonly throttle?: { rateLimit: number; burstLimit: number };
}

export function consumers(blueprint: Pick<Blueprint, 'frontOffice' | 'broker'>): Consumer[] {
  return [
    ...blueprint.frontOffice.products.map((p: Product) => ({
      kind: 'product' as const,
      name: p.name,
      owner: p.owner,
      scopes: p.consumes,
      throttle: p.throttle,
    })),
    ...blueprint.broker.partners.map((p: Partner) => ({
      kind: 'partner' as const,
      name: p.name,
      owner: p.owner,
      scopes: p.scopes,
      throttle: p.throttle,
    })),
  ];
}

/**
 * The Cognito app client name of a consumer. The broker sets it, the operations CLI matches on it:
 * `product.web-shop`, `partner.marketplace`; partners onboarded at run time get `onboarded.<name>`.
 */
export function clientName(consumer: Pick<Consumer, 'kind' | 'name'>): string {
  return `${consumer.kind}.${consumer.name}`;
}

/** Prefix of the physical names that must be known across stacks without a reference. */
export function physicalNamePrefix(blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>) {
  return `${blueprint.stackPrefix}-${blueprint.environment}`;
}

export const ZONE_LABELS: Record<Zone, string> = {
  'front-office': 'Front office',
  'back-office': 'Back office',
  integration: 'Integration',
};

/**
 * Values of the product cost tag that attribute shared resources rather than a front-office
 * product: the back office's zone-wide parts, the broker, the front office's IT-owned guardrails,
 * the payer account's cost management and the organisation policies. Every stack that is not a
 * product's takes its product tag from here, and the blueprint rules refuse a product (or a
 * capability) of one of these names, so one tag value never names two things.
 */
export const SHARED_PRODUCT_TAGS = {
  backOffice: 'back-office',
  broker: 'broker',
  frontOfficeGuardrails: 'front-office-guardrails',
  costManagement: 'cost-management',
  organization: 'organization',
} as const;
