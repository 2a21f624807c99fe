// CDK-free: the blueprint model (lib/blueprint) reads this file too, so a consumer and its app
// client name are defined once.
import type { Throttle } from '../shared/throttle';

/** What kind of caller a consumer is: a front-office product or a declared partner. */
export type ConsumerKind = 'product' | 'partner';

/**
 * A caller of the broker with its own app client: a front-office product or a partner. Its app
 * client is named `clientName(consumer)`.
 */
export interface Consumer {
  /** A front-office product or a declared partner. */
  readonly kind: ConsumerKind;
  /** Its name, unique among consumers of its kind, e.g. `web-shop`. Pattern: `[a-z][a-z0-9-]*`. */
  readonly name: string;
  /** The team that owns it, for descriptions and reports. */
  readonly owner: string;
  /** The full OAuth scopes it may request, e.g. `['orders/write']`; at least one. */
  readonly scopes: readonly string[];
  /**
   * Its own throttle on the broker API (through a usage plan and its API key).
   * @default - the broker's default consumer throttle
   */
  readonly throttle?: Throttle;
}

/**
 * The Cognito app client name of a consumer. The broker sets it, the operations CLI matches on it:
 * `product.web-shop`, `partner.marketplace`; partners onboarded at run time get `onboarded.<name>`.
 */
export function clientName(consumer: Pick<Consumer, 'kind' | 'name'>): string {
  return `${consumer.kind}.${consumer.name}`;
}
