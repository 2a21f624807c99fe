import type { ProductRoute } from '../product-route';
import { BrokerClient, BrokerError } from './broker-client';

/**
 * The Lambda handler behind a product's HTTP API: each route is a broker operation the product
 * consumes (`POST /orders`, `GET /catalog/items`, ...), served by calling the broker with the
 * product's own client credentials. The broker validates, authorises by scope and answers; this
 * handler passes its answers on and turns transport failures into honest HTTP (502, 504).
 *
 * Configuration (set by `ProductApi`):
 * - `BROKER_API_URL`, `BROKER_TOKEN_URL`, `BROKER_CREDENTIALS_SECRET_ARN`: where the broker is;
 * - `BROKER_ROUTES`: JSON list of `{ "route": "GET /catalog/items", "query": ["category"] }`;
 * - `BROKER_SCOPES`: the scopes to ask for, space-separated (optional);
 * - `BROKER_TIMEOUT_MS`: the timeout of one HTTP call (optional).
 *
 * This code runs in Lambda, not at synth: its environment is its configuration.
 */

/** The parts of an API Gateway HTTP API (payload 2.0) event the handler reads. */
export interface HttpApiEvent {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string | undefined>;
  readonly queryStringParameters?: Record<string, string | undefined>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly requestId?: string };
}

export interface HttpApiResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

// Built on the first invocation and kept for the life of the execution environment, so the
// credentials and the token are reused across invocations.
let client: BrokerClient | undefined;
let routes: Map<string, ProductRoute> | undefined;

export async function handler(event: HttpApiEvent): Promise<HttpApiResult> {
  const requestId = event.requestContext?.requestId;
  try {
    const route = configuredRoutes().get(event.routeKey);
    if (!route) return reply(404, { message: `no route ${event.routeKey}`, requestId });
    const [method, template] = splitRoute(route.route);

    let path = template;
    for (const name of template.match(/\{([^}]+)\}/g) ?? []) {
      const key = name.slice(1, -1);
      const value = event.pathParameters?.[key];
      if (!value) return reply(400, { message: `${key} is required`, requestId });
      path = path.replace(name, encodeURIComponent(value));
    }
    const query = new URLSearchParams();
    for (const key of route.query ?? []) {
      const value = event.queryStringParameters?.[key];
      if (!value) return reply(400, { message: `query parameter ${key} is required`, requestId });
      query.set(key, value);
    }
    if (query.size > 0) path += `?${query.toString()}`;

    let body: unknown;
    if (method === 'POST') {
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      try {
        body = JSON.parse(text);
      } catch {
        return reply(400, { message: 'the request body must be JSON', requestId });
      }
    }

    const answer = await brokerClient().call(method, path, body);
    return reply(answer.status, answer.body ?? {});
  } catch (e) {
    if (e instanceof BrokerError) {
      console.error(
        JSON.stringify({
          message: 'broker call failed',
          route: event.routeKey,
          status: e.status,
          reason: e.message,
          requestId,
          brokerRequestId: e.requestId,
        }),
      );
      return reply(e.status, {
        message: e.message,
        requestId: e.requestId ?? requestId,
      });
    }
    console.error(
      JSON.stringify({ message: 'unexpected failure', route: event.routeKey, requestId }),
    );
    return reply(500, { message: 'internal error', requestId });
  }
}

function reply(statusCode: number, body: unknown): HttpApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function splitRoute(route: string): ['GET' | 'POST', string] {
  const [method, path] = route.split(' ');
  if ((method !== 'GET' && method !== 'POST') || !path?.startsWith('/'))
    throw new Error(`BROKER_ROUTES: ${route} is not "GET /path" or "POST /path"`);
  return [method, path];
}

function configuredRoutes(): Map<string, ProductRoute> {
  routes ??= new Map(
    (JSON.parse(requiredEnv('BROKER_ROUTES')) as ProductRoute[]).map((r) => [r.route, r]),
  );
  return routes;
}

function brokerClient(): BrokerClient {
  client ??= new BrokerClient({
    apiUrl: requiredEnv('BROKER_API_URL'),
    tokenUrl: requiredEnv('BROKER_TOKEN_URL'),
    secretArn: requiredEnv('BROKER_CREDENTIALS_SECRET_ARN'),
    scopes: process.env.BROKER_SCOPES?.split(' ').filter(Boolean),
    timeoutMs: process.env.BROKER_TIMEOUT_MS ? Number(process.env.BROKER_TIMEOUT_MS) : undefined,
  });
  return client;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the function's environment lacks ${name}`);
  return value;
}
