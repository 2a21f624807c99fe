import { BodyBound, largestBodyBytes } from './json-schema';
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

import type { Consumer } from '../../constructs/broker/consumer';

export { clientName, type Consumer, type ConsumerKind } from '../../constructs/broker/consumer';

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
 * the payer account's cost management, the organisation policies and the delivery pipeline.
 * Every stack that is not a product's takes its product tag from here, and the blueprint rules
 * refuse a product (or a capability) of one of these names, so one tag value never names two
 * things.
 */
export const SHARED_PRODUCT_TAGS = {
  backOffice: 'back-office',
  broker: 'broker',
  frontOfficeGuardrails: 'front-office-guardrails',
  costManagement: 'cost-management',
  organization: 'organization',
  /** The delivery pipeline (`delivery`), in the delivery account. */
  delivery: 'delivery',
} as const;

/**
 * The bytes a command's record id takes in its body: the broker's model holds it to what SQS takes
 * as a batch entry id, 1 to 80 letters, digits, hyphens or underscores, plus its quotes.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
 */
export const COMMAND_ID_MAX_BYTES = 82;

/** The id field of a command: its own, else the ledger's partition key. */
export function commandIdField(capability: Pick<Capability, 'ledger'>, op: Operation): string {
  return op.idField ?? capability.ledger.partitionKey;
}

/** The largest body a command accepts, in bytes of compact JSON (see `largestBodyBytes`). */
export function largestCommandBody(
  capability: Pick<Capability, 'ledger'>,
  op: Operation,
): BodyBound {
  return largestBodyBytes(op.body ?? {}, {
    [commandIdField(capability, op)]: COMMAND_ID_MAX_BYTES,
  });
}

/**
 * The body sizes AWS WAF can inspect for an API Gateway stage: 16 KB by default, more in steps of
 * 16 KB up to 64 KB (each step above the default is charged).
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
 */
export const WAF_BODY_INSPECTION_LIMITS = [16_384, 32_768, 49_152, 65_536] as const;

/**
 * The broker's body size limit: the smallest size AWS WAF can inspect that holds the largest valid
 * body of every command, so that every valid order passes and anything larger is refused.
 * Unbounded or too large bodies are blueprint errors (rules.ts), so this assumes neither.
 */
export function brokerBodyLimitBytes(blueprint: Pick<Blueprint, 'backOffice'>): number {
  const largest = Math.max(
    0,
    ...blueprint.backOffice.capabilities.flatMap((c) =>
      c.operations
        .filter((op) => op.kind === 'command')
        .map((op) => largestCommandBody(c, op).bytes ?? Infinity),
    ),
  );
  const limit = WAF_BODY_INSPECTION_LIMITS.find((l) => l >= largest);
  if (limit === undefined)
    throw new Error(
      `the largest valid command body (${largest} bytes) exceeds what AWS WAF inspects`,
    );
  return limit;
}
