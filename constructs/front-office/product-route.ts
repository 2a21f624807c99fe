/**
 * One route of a product's API: a broker operation the product consumes, served under the same
 * method and path, and the query parameters it passes on. CDK-free: the handler reads the same type.
 */
export interface ProductRoute {
  /**
   * `METHOD /path`, with `{name}` path parameters, e.g. `GET /orders/{orderId}`. The method is one
   * of `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
   */
  readonly route: string;
  /**
   * Query-string parameters passed on to the broker, e.g. `['category']`.
   * @default []
   */
  readonly query?: readonly string[];
}

const ROUTE =
  /^(?:GET|POST|PUT|PATCH|DELETE) \/(?:[A-Za-z0-9._~-]+|\{[A-Za-z][A-Za-z0-9]*\})?(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z][A-Za-z0-9]*\}))*$/;

/** Why a product route would not serve, or undefined when it is acceptable. */
export function productRouteProblem(route: string): string | undefined {
  return ROUTE.test(route)
    ? undefined
    : 'must be a method (GET, POST, PUT, PATCH or DELETE), a space and a path such as /orders/{orderId}';
}
