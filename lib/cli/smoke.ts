import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { AwsCallError, type Aws } from './aws';
import { resolveDeployed } from './deployed';
import { CliError, EXIT, oneLine } from './errors';
import type { LoadedManifest, ManifestRoute } from './manifest';
import { type CliIo, write } from './output';
import { minimalOrder, OrderSchemaError } from './smoke-order';

/**
 * `office-zones smoke`: after a deploy, walks the order flow through the broker as one consumer
 * would, hop by hop, and stops at the first hop that fails. The defaults, as data.
 */
export const SMOKE_DEFAULTS = {
  /** The command that submits the order. */
  submit: 'orders.submit',
  /** The status the poll waits for: the book-to-bill workflow's last. */
  until: 'INVOICED',
  /** The query read last. */
  catalogue: 'catalog.listItems',
  /** The value of a path or query parameter of the catalogue route not given with --param. */
  parameterValue: 'smoke',
  /** How long the poll waits for the status, in seconds. */
  timeoutSeconds: 60,
  /** Seconds between two reads of the order. */
  intervalSeconds: 2,
  /** Seconds one HTTP exchange (token or API) may take. */
  requestTimeoutSeconds: 10,
  /** The header API Gateway reads the API key from (API key source HEADER). */
  apiKeyHeader: 'x-api-key',
} as const;

/** The hops of a smoke test, in the order they run. `secret` runs only with `--secret`. */
export type Hop = 'secret' | 'token' | 'submit' | 'poll' | 'catalogue';

export interface SmokeOptions {
  /** A credentials file written by `consumers onboard --out` (or the same JSON by hand). */
  readonly credentials?: string;
  /** A Secrets Manager secret holding a consumer's credentials, by name or ARN. */
  readonly secret?: string;
  /** A file with the order to submit. @default - a minimal valid order from the schema */
  readonly order?: string;
  /** The command (manifest operation) that submits the order, e.g. `orders.submit`. */
  readonly submit: string;
  /** The `status` the order must reach, e.g. `INVOICED`. */
  readonly until: string;
  /** The query (manifest operation) read last, e.g. `catalog.listItems`. */
  readonly catalogue: string;
  /** `name=value` for the catalogue route's path and query parameters; others get `smoke`. */
  readonly params: readonly string[];
  /** How long the poll waits for `until`, in milliseconds (the CLI takes 0.1 to 3600 s). */
  readonly timeoutMs: number;
  /** Milliseconds between two reads of the order (the CLI takes 0.01 to 300 s). */
  readonly intervalMs: number;
  /** Milliseconds one HTTP exchange may take (the CLI takes 0.1 to 120 s). */
  readonly requestTimeoutMs: number;
  /** One JSON document on stdout instead of a line per hop. */
  readonly json: boolean;
  /** @default - the credentials' `tokenUrl`, else the manifest's, else its SSM parameter */
  readonly tokenUrl?: string;
  /** @default - the credentials' `apiUrl`, else the manifest's, else its SSM parameter */
  readonly apiUrl?: string;
}

/** A hop that failed: the one line the user reads names the hop and the reason. */
export class HopFailure extends Error {
  constructor(
    readonly hop: Hop,
    readonly reason: string,
  ) {
    super(`${hop}: ${oneLine(reason)}`);
    this.name = 'HopFailure';
  }
}

/** A consumer's credentials; never printed. */
interface Credentials {
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiKey?: string;
  readonly apiKeyHeader: string;
  readonly tokenUrl?: string;
  readonly apiUrl?: string;
}

interface Routes {
  readonly submit: ManifestRoute & { readonly idField: string };
  readonly poll: ManifestRoute;
  readonly catalogue: ManifestRoute;
  /** The catalogue route's path and query parameters with their values. */
  readonly catalogueParams: ReadonlyMap<string, string>;
}

interface HopResult {
  readonly hop: Hop;
  readonly result: 'ok' | 'failed';
  readonly latencyMs: number;
  readonly detail: string;
}

// ---------------------------------------------------------------------------------------------
// Input: everything is checked before the first hop, and reported together (exit 2).

const CREDENTIAL_FIELDS = {
  clientId: 'string',
  clientSecret: 'secret',
  apiKey: 'secret?',
  apiKeyHeader: 'string?',
  tokenUrl: 'url?',
  apiUrl: 'url?',
} as const;

/**
 * Reads credentials JSON: every problem at once, by field and received value; the values of
 * secret fields are never repeated, only what kind of value was found.
 */
export function parseCredentials(data: unknown, source: string, label?: string): Credentials {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`${source} does not hold a JSON object of credentials`);
  }
  const o = data as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, kind] of Object.entries(CREDENTIAL_FIELDS)) {
    const value = o[field];
    const optional = kind.endsWith('?');
    if ((value === undefined || value === null) && optional) continue;
    if (typeof value === 'string' && value !== '') continue;
    const received = kind.startsWith('secret')
      ? value === undefined
        ? 'undefined'
        : `a hidden ${Array.isArray(value) ? 'array' : typeof value}`
      : value === undefined
        ? 'undefined'
        : JSON.stringify(value).slice(0, 60);
    problems.push(
      `${field}: ${value === undefined ? 'is required' : 'must be a non-empty string'} (received: ${received})`,
    );
  }
  if (problems.length > 0) {
    throw new CliError(
      `${source} does not hold usable credentials (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    );
  }
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  return {
    label: label ?? str('clientName') ?? str('consumer') ?? `app client ${o.clientId as string}`,
    clientId: o.clientId as string,
    clientSecret: o.clientSecret as string,
    apiKey: str('apiKey'),
    apiKeyHeader: str('apiKeyHeader') ?? SMOKE_DEFAULTS.apiKeyHeader,
    tokenUrl: str('tokenUrl'),
    apiUrl: str('apiUrl'),
  };
}

function readJsonFile(file: string, cwd: string, what: string, flag: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${what} ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}): check ${flag}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function pathParams(p: string): string[] {
  return [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Finds the three routes in the manifest and the catalogue's parameter values. */
export function findRoutes(loaded: LoadedManifest, options: SmokeOptions): Routes {
  const { manifest, source } = loaded;
  const routes = manifest.routes;
  if (!routes || routes.length === 0) {
    throw new CliError(
      `the manifest ${source} lists no routes: synthesize it with this version of Office Zones (npx cdk synth)`,
    );
  }
  const problems: string[] = [];
  const named = (operation: string, kind: 'command' | 'query', flag: string) => {
    const route = routes.find((r) => r.operation === operation && r.kind === kind);
    if (!route) {
      const offered = routes.filter((r) => r.kind === kind).map((r) => r.operation);
      problems.push(
        `${flag} ${operation}: no ${kind} of that name in the manifest (${kind}s: ${offered.join(', ') || 'none'})`,
      );
    }
    return route;
  };
  const submit = named(options.submit, 'command', '--submit');
  const catalogue = named(options.catalogue, 'query', '--catalogue');
  let poll: ManifestRoute | undefined;
  if (submit) {
    if (!submit.idField || !submit.body) {
      problems.push(
        `--submit ${submit.operation}: the manifest gives no idField or body schema for it: synthesize it with this version of Office Zones`,
      );
    } else {
      const capability = submit.operation.split('.')[0];
      poll = routes.find(
        (r) =>
          r.kind === 'query' &&
          r.operation.startsWith(`${capability}.`) &&
          pathParams(r.path).length === 1 &&
          pathParams(r.path)[0] === submit.idField,
      );
      if (!poll) {
        problems.push(
          `--submit ${submit.operation}: the ${capability} capability has no query that reads a record by ${submit.idField} (like GET /${capability}/{${submit.idField}}), so the order cannot be followed`,
        );
      }
    }
  }
  const values = new Map<string, string>();
  for (const p of options.params) {
    const eq = p.indexOf('=');
    if (eq <= 0) problems.push(`--param ${JSON.stringify(p)}: must be name=value`);
    else values.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const catalogueParams = new Map<string, string>();
  if (catalogue) {
    const names = [...pathParams(catalogue.path), ...(catalogue.queryParameters ?? [])];
    for (const name of values.keys()) {
      if (!names.includes(name)) {
        problems.push(
          `--param ${name}: ${catalogue.operation} takes no parameter of that name (it takes: ${names.join(', ') || 'none'})`,
        );
      }
    }
    for (const name of names) {
      catalogueParams.set(name, values.get(name) ?? SMOKE_DEFAULTS.parameterValue);
    }
  }
  if (problems.length > 0) {
    throw new CliError(`cannot run the smoke test: ${problems.join('; ')}`);
  }
  return {
    submit: submit as Routes['submit'],
    poll: poll!,
    catalogue: catalogue!,
    catalogueParams,
  };
}

/** The order to submit and its id: from --order, or generated from the route's schema. */
function orderFor(route: Routes['submit'], options: SmokeOptions, cwd: string, source: string) {
  if (options.order) {
    const body = readJsonFile(options.order, cwd, 'the order', '--order');
    const id =
      body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)[route.idField]
        : undefined;
    if (typeof id !== 'string' || id === '') {
      throw new CliError(
        `the order ${options.order} has no ${route.idField} (received: ${JSON.stringify(id) ?? 'undefined'}): the poll reads the order back by it`,
      );
    }
    return { body, id };
  }
  try {
    return minimalOrder(route.body as Record<string, unknown>, route.idField);
  } catch (e) {
    if (!(e instanceof OrderSchemaError)) throw e;
    throw new CliError(
      `cannot generate a valid order for ${route.operation} from its schema in ${source} (${e.message}): pass --order <file>`,
    );
  }
}

/**
 * A URL credentials may be sent to: HTTPS, or plain HTTP to this machine only (a local stand-in).
 */
function checkedUrl(value: string, what: string, origin: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `the ${what} from ${origin} is not a URL (received: ${JSON.stringify(value)})`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CliError(
      `the ${what} from ${origin} is ${url.protocol}//${url.host}: credentials are only sent over HTTPS (plain HTTP only to this machine)`,
    );
  }
  return url;
}

async function resolveUrl(
  what: 'token URL' | 'API URL',
  flag: '--token-url' | '--api-url',
  given: string | undefined,
  fromCredentials: { value?: string; origin: string },
  loaded: LoadedManifest,
  aws: Aws,
): Promise<URL> {
  if (given) return checkedUrl(given, what, flag);
  if (fromCredentials.value) return checkedUrl(fromCredentials.value, what, fromCredentials.origin);
  const { manifest, source } = loaded;
  const ref = await resolveDeployed(
    what === 'token URL'
      ? {
          what,
          flag,
          inManifest: manifest.domain.tokenUrl,
          parameter: manifest.domain.tokenUrlParameter,
        }
      : {
          what,
          flag,
          inManifest: manifest.api?.url,
          parameter: manifest.api?.urlParameter,
        },
    manifest,
    source,
    aws,
  );
  return checkedUrl(ref.id, what, ref.source);
}

// ---------------------------------------------------------------------------------------------
// HTTP: one exchange, within the timeout; redirects are not followed (credentials stay put).

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

async function exchange(
  hop: Hop,
  url: URL,
  init: RequestInit,
  timeoutMs: number,
  what: string,
): Promise<Answer> {
  try {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw new HopFailure(
        hop,
        `${what} at ${url.origin} did not answer within ${seconds(timeoutMs)}`,
      );
    }
    const code = err.cause?.code ?? err.cause?.message ?? err.message;
    throw new HopFailure(hop, `cannot reach ${what} at ${url.origin} (${code})`);
  }
}

function seconds(ms: number): string {
  return ms >= 1000 || ms % 1000 === 0 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

function field(json: unknown, name: string): string | undefined {
  const value =
    json && typeof json === 'object' ? (json as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The claims of a JWT, read without checking its signature (only to explain a refusal). */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The hops

/** `secret`: what a product's runtime does first, read its credentials from Secrets Manager. */
async function readSecret(
  aws: Aws,
  secretId: string,
): Promise<{ creds: Credentials; detail: string }> {
  let text: string | undefined;
  try {
    const out = await aws.call('secretsmanager', 'GetSecretValue', true, () =>
      aws.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId })),
    );
    text = out.SecretString;
  } catch (e) {
    if (e instanceof AwsCallError && e.errorName === 'ResourceNotFoundException') {
      throw new HopFailure(
        'secret',
        `no secret ${secretId} in this account and region (ResourceNotFoundException): check --secret, --region and --profile`,
      );
    }
    if (e instanceof AwsCallError && e.errorName === 'AccessDeniedException') {
      throw new HopFailure(
        'secret',
        `${e.describe()}; a product's credentials secret admits only the product's runtime role: run as that role (see the README, office-zones smoke)`,
      );
    }
    throw new HopFailure('secret', e instanceof AwsCallError ? e.describe() : String(e));
  }
  let data: unknown;
  try {
    data = JSON.parse(text ?? '');
  } catch {
    throw new HopFailure('secret', `the secret ${secretId} does not hold JSON credentials`);
  }
  try {
    const creds = parseCredentials(data, `the secret ${secretId}`, secretLabel(secretId));
    return { creds, detail: `read the credentials of ${creds.label} from Secrets Manager` };
  } catch (e) {
    throw new HopFailure('secret', (e as Error).message);
  }
}

/** `product.web-shop` from `.../broker/clients/product.web-shop` or its ARN (with suffix). */
function secretLabel(secretId: string): string {
  const name = secretId.startsWith('arn:')
    ? secretId
        .split(':')
        .slice(6)
        .join(':')
        .replace(/-[A-Za-z0-9]{6}$/, '')
    : secretId;
  return name.split('/').pop() || secretId;
}

const TOKEN_ERRORS: Record<string, string> = {
  invalid_client:
    'the client id or secret is wrong, or the app client was deleted or its secret rotated (office-zones consumers list shows the app clients)',
  invalid_scope: 'the app client is allowed none of these scopes',
  unauthorized_client: 'the app client may not use the client-credentials grant',
  unsupported_grant_type: 'the endpoint does not take the client-credentials grant',
  invalid_request: 'the endpoint found the request malformed',
};

/**
 * `token`: the OAuth 2.0 client-credentials grant at the broker's token URL, as Cognito's token
 * endpoint documents it: HTTP Basic with the client id and secret, a form body with
 * `grant_type=client_credentials` and the scopes the smoke test needs.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
async function getToken(
  creds: Credentials,
  tokenUrl: URL,
  scopes: readonly string[],
  timeoutMs: number,
): Promise<{ token: string; granted?: string[]; detail: string }> {
  // RFC 6749 section 2.3.1: id and secret are form-encoded before Basic encoding.
  const basic = Buffer.from(
    `${encodeURIComponent(creds.clientId)}:${encodeURIComponent(creds.clientSecret)}`,
  ).toString('base64');
  const answer = await exchange(
    'token',
    tokenUrl,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: scopes.join(' '),
      }).toString(),
    },
    timeoutMs,
    'the token endpoint',
  );
  const where = `POST ${tokenUrl.origin}${tokenUrl.pathname}`;
  if (answer.status !== 200) {
    const error = field(answer.json, 'error');
    const code = error && /^[a-z_]{1,40}$/.test(error) ? error : undefined;
    if (code) {
      const asked = code === 'invalid_scope' ? ` (asked for ${scopes.join(' ')})` : '';
      throw new HopFailure(
        'token',
        `${where} refused the client credentials of ${creds.label}: ${answer.status} ${code}: ${TOKEN_ERRORS[code] ?? 'see the token endpoint documentation'}${asked}`,
      );
    }
    throw new HopFailure(
      'token',
      `${where} answered ${answer.status}${answer.json === undefined ? ' (not JSON)' : ''}: is it the broker's token URL (https://<domain>.auth.<region>.amazoncognito.com/oauth2/token)?`,
    );
  }
  const token = field(answer.json, 'access_token');
  if (!token) {
    throw new HopFailure('token', `${where} answered 200 without an access_token`);
  }
  const claims = claimsOf(token);
  const granted =
    typeof claims?.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : undefined;
  const expires =
    answer.json && typeof (answer.json as Record<string, unknown>).expires_in === 'number'
      ? ` valid ${(answer.json as Record<string, number>).expires_in} s`
      : '';
  return {
    token,
    granted,
    detail: `access token${expires}, scopes ${granted ? granted.join(' ') || '(none)' : '(not readable)'}`,
  };
}

/** Builds a route's URL under the stage URL, path parameters filled in and encoded. */
function routeUrl(apiUrl: URL, route: ManifestRoute, values: ReadonlyMap<string, string>): URL {
  const base = apiUrl.href.endsWith('/') ? apiUrl.href : `${apiUrl.href}/`;
  const filled = route.path
    .replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values.get(name) ?? ''))
    .replace(/^\//, '');
  const url = new URL(filled, base);
  for (const q of route.queryParameters ?? []) url.searchParams.set(q, values.get(q) ?? '');
  return url;
}

/** The relative form of a route's URL, for messages. */
function shown(url: URL, apiUrl: URL): string {
  const base = apiUrl.pathname.replace(/\/$/, '');
  return `${url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname}${url.search}`;
}

interface Door {
  readonly creds: Credentials;
  readonly apiUrl: URL;
  readonly token: string;
  readonly granted?: string[];
  readonly timeoutMs: number;
}

async function callApi(
  hop: Hop,
  door: Door,
  method: 'GET' | 'POST',
  url: URL,
  body?: unknown,
): Promise<Answer> {
  return exchange(
    hop,
    url,
    {
      method,
      headers: {
        authorization: `Bearer ${door.token}`,
        ...(door.creds.apiKey ? { [door.creds.apiKeyHeader]: door.creds.apiKey } : {}),
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    door.timeoutMs,
    'the broker API',
  );
}

/**
 * Why the broker did not give the answer a hop expects, in the broker's terms: its public
 * contract (broker-openapi.json) and API Gateway's own answers before the integration runs.
 * @see https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 */
function refusal(door: Door, route: ManifestRoute, call: string, answer: Answer): string {
  const message = field(answer.json, 'message');
  const details = field(answer.json, 'details');
  const requestId = field(answer.json, 'requestId');
  const said = `${call} answered ${answer.status}${message ? ` ${JSON.stringify(oneLine(message).slice(0, 200))}` : ''}${details ? ` (${oneLine(details).slice(0, 300)})` : ''}${requestId ? ` [request id ${requestId}]` : ''}`;
  const lacksScope = door.granted !== undefined && !door.granted.includes(route.scope);
  if ((answer.status === 401 || answer.status === 403) && lacksScope) {
    return `${said}: the token's scopes (${door.granted!.join(' ') || 'none'}) lack ${route.scope}, which ${route.method} ${route.path} needs: allow that scope for ${door.creds.label}'s app client`;
  }
  switch (answer.status) {
    case 400:
      return `${said}: the broker refused the request as invalid`;
    case 401:
      return `${said}: the broker's authorizer refused the token (expired, or issued by another user pool than the broker's)`;
    case 403:
      if (message === 'Missing Authentication Token') {
        return `${said}: no ${route.method} ${route.path} is deployed at ${door.apiUrl.href}: check the API URL and that the manifest matches the deployed broker`;
      }
      return door.creds.apiKey
        ? `${said}: the API key was refused (not an enabled key in a usage plan of this API), or AWS WAF blocked the request`
        : `${said}: the credentials carry no API key, and every broker route requires one (${door.creds.apiKeyHeader})`;
    case 404:
      return `${said}: no such record`;
    case 429:
      return `${said}: throttled by the consumer's usage plan or the stage; try again later`;
    default:
      return answer.status >= 500
        ? `${said}: the broker or the back office failed`
        : `${said}: not an answer the broker's contract gives`;
  }
}

async function submitOrder(
  door: Door,
  routes: Routes,
  order: { body: unknown; id: string },
): Promise<string> {
  const url = routeUrl(door.apiUrl, routes.submit, new Map());
  const call = `POST ${shown(url, door.apiUrl)}`;
  const answer = await callApi('submit', door, 'POST', url, order.body);
  if (answer.status !== 202) {
    throw new HopFailure('submit', refusal(door, routes.submit, call, answer));
  }
  const echoed = field(answer.json, routes.submit.idField);
  if (echoed !== order.id) {
    throw new HopFailure(
      'submit',
      `${call} answered 202 with ${routes.submit.idField} ${JSON.stringify(echoed)}, not the order's ${JSON.stringify(order.id)}`,
    );
  }
  const requestId = field(answer.json, 'requestId');
  return `${call} answered 202: ${routes.submit.idField} ${order.id} accepted${requestId ? ` [request id ${requestId}]` : ''}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `poll`: reads the order back until it reaches the status, within the timeout. */
async function pollOrder(
  door: Door,
  routes: Routes,
  order: { id: string },
  options: SmokeOptions,
): Promise<string> {
  const idField = routes.submit.idField;
  const url = routeUrl(door.apiUrl, routes.poll, new Map([[idField, order.id]]));
  const call = `GET ${shown(url, door.apiUrl)}`;
  const deadline = performance.now() + options.timeoutMs;
  const seen: string[] = [];
  let reads = 0;
  let notFound = 0;
  for (;;) {
    reads++;
    const answer = await callApi('poll', door, 'GET', url);
    if (answer.status === 200) {
      const status = field(answer.json, 'status');
      if (answer.json === undefined) {
        throw new HopFailure('poll', `${call} answered 200 with a body that is not JSON`);
      }
      if (status && seen[seen.length - 1] !== status) seen.push(status);
      if (status === options.until) {
        return `${call}: ${options.until} after ${reads} read${reads === 1 ? '' : 's'} (${seen.join(', ')})`;
      }
    } else if (answer.status === 404) {
      notFound++;
    } else if (answer.status !== 429) {
      throw new HopFailure('poll', refusal(door, routes.poll, call, answer));
    }
    const left = deadline - performance.now();
    if (left <= 0) break;
    await sleep(Math.min(options.intervalMs, left));
  }
  const within = `within ${seconds(options.timeoutMs)}`;
  if (seen.length === 0) {
    throw new HopFailure(
      'poll',
      `${idField} ${order.id} was not ${options.until} ${within}: ${call} answered 404 on ${notFound === reads ? 'all' : notFound} of ${reads} read${reads === 1 ? '' : 's'}, so the back office never recorded it: check that its workflow consumes the intake queue, and its dead-letter queue (a refused order lands there)`,
    );
  }
  throw new HopFailure(
    'poll',
    `${idField} ${order.id} was not ${options.until} ${within}: last status ${seen[seen.length - 1]} after ${reads} read${reads === 1 ? '' : 's'} (${seen.join(', ')}): the workflow stopped on the way; check its logs and dead-letter queue, or raise --timeout`,
  );
}

/** `catalogue`: one read of the catalogue query; any record, or none, is an answer. */
async function readCatalogue(door: Door, routes: Routes): Promise<string> {
  const url = routeUrl(door.apiUrl, routes.catalogue, routes.catalogueParams);
  const call = `GET ${shown(url, door.apiUrl)}`;
  const answer = await callApi('catalogue', door, 'GET', url);
  if (answer.status !== 200 && answer.status !== 404) {
    throw new HopFailure('catalogue', refusal(door, routes.catalogue, call, answer));
  }
  if (answer.status === 404) return `${call} answered 404: no record with these parameters`;
  if (answer.json === undefined) {
    throw new HopFailure('catalogue', `${call} answered 200 with a body that is not JSON`);
  }
  const items = (answer.json as Record<string, unknown>).items;
  if (Array.isArray(items)) {
    const more = (answer.json as Record<string, unknown>).more === true ? ', and more' : '';
    return `${call} answered 200: ${items.length} item${items.length === 1 ? '' : 's'}${more}`;
  }
  return `${call} answered 200: a record`;
}

// ---------------------------------------------------------------------------------------------
// The run and its report

class Report {
  readonly hops: HopResult[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly io: CliIo,
    private readonly json: boolean,
  ) {}

  async line(text: string): Promise<void> {
    if (!this.json) await write(this.io.stdout, `${text}\n`);
  }

  /** Runs a hop, times it and prints its line as soon as it ends. */
  async hop<T extends { detail: string }>(hop: Hop, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      const out = await run();
      await this.record({ hop, result: 'ok', latencyMs: ms(start), detail: out.detail });
      return out;
    } catch (e) {
      const reason = e instanceof HopFailure ? e.reason : String((e as Error).message ?? e);
      await this.record({ hop, result: 'failed', latencyMs: ms(start), detail: oneLine(reason) });
      throw e instanceof HopFailure ? e : new HopFailure(hop, reason);
    }
  }

  private async record(result: HopResult): Promise<void> {
    this.hops.push(result);
    const status = result.result === 'ok' ? 'ok    ' : 'FAILED';
    await this.line(
      `  ${result.hop.padEnd(9)}  ${status}  ${String(result.latencyMs).padStart(6)} ms  ${result.detail}`,
    );
  }

  totalMs(): number {
    return ms(this.started);
  }
}

function ms(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * Runs the smoke test. Resolves to the exit code: 0 when every hop passed, 1 when one failed (one
 * line on stderr names it). Bad input throws `CliError` before the first hop (exit 2).
 */
export async function smoke(
  aws: Aws,
  loaded: LoadedManifest,
  io: CliIo,
  options: SmokeOptions,
): Promise<number> {
  if (!options.credentials === !options.secret) {
    throw new CliError(
      'smoke needs the credentials of one consumer: pass --credentials <file> (from office-zones consumers onboard --out) or --secret <name-or-arn>, not both',
    );
  }
  const routes = findRoutes(loaded, options);
  const order = orderFor(routes.submit, options, io.cwd, loaded.source);
  const fileCreds = options.credentials
    ? parseCredentials(
        readJsonFile(options.credentials, io.cwd, 'the credentials file', '--credentials'),
        options.credentials,
      )
    : undefined;
  const scopes = [...new Set([routes.submit.scope, routes.poll.scope, routes.catalogue.scope])];

  const report = new Report(io, options.json);
  let tokenUrl: URL | undefined;
  let apiUrl: URL | undefined;
  let label = fileCreds?.label ?? `the consumer in secret ${options.secret}`;
  try {
    let creds = fileCreds;
    if (!creds) {
      await report.line(`office-zones smoke: ${label}`);
      creds = (await report.hop('secret', () => readSecret(aws, options.secret!))).creds;
      label = creds.label;
    }
    const origin = options.credentials ?? `the secret ${options.secret}`;
    tokenUrl = await resolveUrl(
      'token URL',
      '--token-url',
      options.tokenUrl,
      { value: creds.tokenUrl, origin },
      loaded,
      aws,
    );
    apiUrl = await resolveUrl(
      'API URL',
      '--api-url',
      options.apiUrl,
      { value: creds.apiUrl, origin },
      loaded,
      aws,
    );
    if (fileCreds) await report.line(`office-zones smoke: ${label} through ${apiUrl.href}`);
    else await report.line(`  through ${apiUrl.href}`);

    const { token, granted } = await report.hop('token', () =>
      getToken(creds, tokenUrl!, scopes, options.requestTimeoutMs),
    );
    const door: Door = { creds, apiUrl, token, granted, timeoutMs: options.requestTimeoutMs };
    await report.hop('submit', async () => ({ detail: await submitOrder(door, routes, order) }));
    await report.hop('poll', async () => ({
      detail: await pollOrder(door, routes, order, options),
    }));
    await report.hop('catalogue', async () => ({ detail: await readCatalogue(door, routes) }));
  } catch (e) {
    if (!(e instanceof HopFailure)) throw e;
    await finish(report, io, options, { label, tokenUrl, apiUrl, orderId: order.id }, e);
    return EXIT.hopFailed;
  }
  await finish(report, io, options, { label, tokenUrl, apiUrl, orderId: order.id });
  return EXIT.ok;
}

async function finish(
  report: Report,
  io: CliIo,
  options: SmokeOptions,
  run: { label: string; tokenUrl?: URL; apiUrl?: URL; orderId: string },
  failure?: HopFailure,
): Promise<void> {
  const total = report.totalMs();
  if (options.json) {
    await write(
      io.stdout,
      JSON.stringify(
        {
          result: failure ? 'failed' : 'passed',
          consumer: run.label,
          tokenUrl: run.tokenUrl?.href ?? null,
          apiUrl: run.apiUrl?.href ?? null,
          orderId: run.orderId,
          totalMs: total,
          hops: report.hops,
          ...(failure ? { failure: { hop: failure.hop, reason: oneLine(failure.reason) } } : {}),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (!failure) {
    await report.line(`passed: ${report.hops.map((h) => h.hop).join(', ')} in ${seconds(total)}`);
  }
  if (failure) {
    await write(io.stderr, `office-zones: smoke failed at ${failure.message}\n`);
  }
}
