import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BrokerClient,
  BrokerError,
} from '../../../../constructs/front-office/handlers/broker-client';
import type {
  HttpApiEvent,
  HttpApiResult,
} from '../../../../constructs/front-office/handlers/broker-api';
import { BrokerStandIn, SecretsManagerStandIn, TokenEndpointStandIn } from './stand-ins';
import { freshModule } from '../../../helpers';

const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:office-zones/broker/clients/product.web-shop-AbCdEf';
const ORDER = {
  orderId: 'ORD-20260001',
  customerId: 'C-42',
  currency: 'GBP',
  lines: [{ sku: 'TEA-001', quantity: 2, unitPrice: 3.5 }],
};

let secrets: SecretsManagerStandIn;
let tokens: TokenEndpointStandIn;
let broker: BrokerStandIn;

beforeEach(async () => {
  secrets = await new SecretsManagerStandIn().start();
  tokens = await new TokenEndpointStandIn().start();
  broker = await new BrokerStandIn(tokens).start();
});
afterEach(async () => {
  await Promise.all([secrets.stop(), tokens.stop(), broker.stop()]);
});

/** A client wired to the stand-ins, with a clock the test moves. */
function clientWith(options: { timeoutMs?: number; now?: { ms: number } } = {}) {
  const now = options.now ?? { ms: Date.parse('2026-11-27T10:00:00Z') };
  return new BrokerClient({
    apiUrl: broker.url,
    tokenUrl: tokens.url,
    secretArn: SECRET_ARN,
    scopes: ['orders/write', 'catalog/read'],
    timeoutMs: options.timeoutMs ?? 2000,
    clock: () => now.ms,
    secretsManager: new SecretsManagerClient({
      endpoint: secrets.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1,
    }),
  });
}

async function brokerErrorOf(p: Promise<unknown>): Promise<BrokerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BrokerError) return e;
    throw e;
  }
  throw new Error('expected a BrokerError');
}

describe('BrokerClient', () => {
  test('submits an order with a client-credentials token and gets 202 accepted', async () => {
    const answer = await clientWith().submitOrder(ORDER);
    expect(answer).toEqual({
      status: 202,
      body: { orderId: 'ORD-20260001', status: 'accepted', requestId: 'broker-1' },
    });
    const [tokenRequest] = tokens.requests;
    expect(tokenRequest.headers.authorization).toBe(
      `Basic ${Buffer.from('shop-client:first-secret').toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'orders/write catalog/read',
    });
    const [call] = broker.requests;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/v1/orders');
    expect(call.headers.authorization).toBe('Bearer token-1');
    expect(call.headers['x-api-key']).toBe('shop-api-key');
    expect(JSON.parse(call.body)).toEqual(ORDER);
    expect(JSON.parse(secrets.requests[0].body)).toEqual({ SecretId: SECRET_ARN });
  });

  test('lists a catalogue category, passing the category in the query string', async () => {
    const answer = await clientWith().listCatalogItems('tea & coffee');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      items: [{ category: 'tea & coffee', sku: 'TEA-001', name: 'Green tea' }],
      more: false,
      requestId: 'broker-1',
    });
    expect(broker.requests[0].url).toBe('/v1/catalog/items?category=tea%20%26%20coffee');
  });

  test('caches the token and the secret across calls until shortly before expiry', async () => {
    const now = { ms: 0 };
    const client = clientWith({ now });
    tokens.expiresIn = 3600;
    await client.listCatalogItems('tea');
    now.ms += 3539_000; // 61 s before expiry: still good
    await client.submitOrder(ORDER);
    expect(tokens.issued).toEqual(['token-1']);
    now.ms += 2_000; // 59 s before expiry: inside the renewal margin
    await client.listCatalogItems('tea');
    expect(tokens.issued).toEqual(['token-1', 'token-2']);
    expect(broker.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(secrets.requests).toHaveLength(1);
  });

  test('concurrent calls share one token request', async () => {
    const client = clientWith();
    await Promise.all([client.listCatalogItems('a'), client.listCatalogItems('b')]);
    expect(tokens.requests).toHaveLength(1);
    expect(secrets.requests).toHaveLength(1);
  });

  test('a 401 after the cached token went stale gets a new token and succeeds', async () => {
    const client = clientWith();
    await client.listCatalogItems('tea');
    broker.revoked.add('token-1');
    const answer = await client.submitOrder(ORDER);
    expect(answer.status).toBe(202);
    expect(tokens.issued).toEqual(['token-1', 'token-2']);
    expect(broker.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  test('fails with 502 when the broker refuses even a fresh token', async () => {
    broker.behaviour = { kind: 'status', status: 401, body: { message: 'Unauthorized' } };
    const error = await brokerErrorOf(clientWith().submitOrder(ORDER));
    expect([error.status, error.message]).toEqual([
      502,
      'the broker refused a fresh token of this product',
    ]);
    expect(tokens.requests).toHaveLength(2);
    expect(broker.requests).toHaveLength(2);
  });

  test.each([400, 404, 429])(
    'passes a %i from the broker on with its message and request id',
    async (status) => {
      broker.behaviour = {
        kind: 'status',
        status,
        body: { message: `broker says ${status}`, requestId: 'req-9' },
      };
      const error = await brokerErrorOf(clientWith().submitOrder(ORDER));
      expect([error.status, error.message, error.requestId]).toEqual([
        status,
        `broker says ${status}`,
        'req-9',
      ]);
    },
  );

  test('turns a 403 (missing scope) into a 502: the fault is the deployment, not the caller', async () => {
    broker.behaviour = {
      kind: 'status',
      status: 403,
      body: { message: 'Forbidden', requestId: 'req-3' },
    };
    const error = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect([error.status, error.message, error.requestId]).toEqual([
      502,
      "the broker refused this product's scopes or API key: Forbidden",
      'req-3',
    ]);
  });

  test.each([500, 502, 503])(
    'turns a %i from the broker into a 502 with its request id',
    async (status) => {
      broker.behaviour = {
        kind: 'status',
        status,
        body: { message: 'Internal server error', requestId: 'req-5' },
      };
      const error = await brokerErrorOf(clientWith().submitOrder(ORDER));
      expect([error.status, error.message, error.requestId]).toEqual([
        502,
        `the broker failed (${status}): Internal server error`,
        'req-5',
      ]);
    },
  );

  test('times out a slow broker with a 504', async () => {
    broker.behaviour = { kind: 'slow', ms: 2000 };
    const started = Date.now();
    const error = await brokerErrorOf(clientWith({ timeoutMs: 200 }).submitOrder(ORDER));
    expect([error.status, error.message]).toEqual([504, 'the broker did not answer within 200 ms']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('times out a slow token endpoint with a 504, before calling the broker', async () => {
    tokens.behaviour = { kind: 'slow', ms: 2000 };
    const error = await brokerErrorOf(clientWith({ timeoutMs: 200 }).listCatalogItems('tea'));
    expect([error.status, error.message]).toEqual([
      504,
      'the token endpoint did not answer within 200 ms',
    ]);
    expect(broker.requests).toHaveLength(0);
  });

  test('fails with 502 when the token endpoint is down', async () => {
    tokens.behaviour = { kind: 'status', status: 500 };
    const error = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect([error.status, error.message]).toEqual([502, 'the token endpoint failed (500)']);
  });

  test('fails with 502 when the secret lacks the API key the broker requires', async () => {
    secrets.secretString = JSON.stringify({
      clientId: 'shop-client',
      clientSecret: 'first-secret',
    });
    const error = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect([error.status, error.message]).toEqual([
      502,
      "the broker refused this product's scopes or API key: Forbidden",
    ]);
  });

  test('fails with 502 when the broker cannot be reached at all', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = new BrokerClient({
      apiUrl: `http://127.0.0.1:${port}/v1/`,
      tokenUrl: tokens.url,
      secretArn: SECRET_ARN,
      secretsManager: new SecretsManagerClient({
        endpoint: secrets.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      }),
    });
    const error = await brokerErrorOf(client.listCatalogItems('tea'));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^the broker cannot be reached/);
  });

  test('re-reads a rotated secret when the token endpoint refuses the old one', async () => {
    const client = clientWith();
    await client.listCatalogItems('tea');
    // IT rotates the product's secret; the cached token expires.
    tokens.clientSecret = 'second-secret';
    secrets.secretString = JSON.stringify({
      clientId: 'shop-client',
      clientSecret: 'second-secret',
      apiKey: 'shop-api-key',
    });
    broker.revoked.add('token-1');
    const answer = await client.listCatalogItems('tea');
    expect(answer.status).toBe(200);
    expect(secrets.requests).toHaveLength(2);
    expect(tokens.issued).toEqual(['token-1', 'token-2']);
  });

  test('fails with 502, naming the cause and not the secret, when credentials are unusable', async () => {
    tokens.clientSecret = 'something-else';
    const refused = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect([refused.status, refused.message]).toEqual([
      502,
      "the token endpoint refused this product's credentials (invalid_client)",
    ]);
    secrets.secretString = 'not json';
    const malformed = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect(malformed.message).toBe(
      "this product's broker credentials secret does not hold clientId and clientSecret",
    );
    secrets.failWith = 'ResourceNotFoundException';
    const missing = await brokerErrorOf(clientWith().listCatalogItems('tea'));
    expect([missing.status, missing.message]).toEqual([
      502,
      "cannot read this product's broker credentials: ResourceNotFoundException",
    ]);
    for (const e of [refused, malformed, missing]) expect(e.message).not.toContain('secret-');
  });
});

describe('the product API handler', () => {
  const ROUTES = [
    { route: 'POST /orders' },
    { route: 'GET /orders/{orderId}' },
    { route: 'GET /catalog/items', query: ['category'] },
  ];
  const saved = { ...process.env };
  let handler: (event: HttpApiEvent) => Promise<HttpApiResult>;

  beforeEach(() => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      BROKER_API_URL: broker.url,
      BROKER_TOKEN_URL: tokens.url,
      BROKER_CREDENTIALS_SECRET_ARN: SECRET_ARN,
      BROKER_ROUTES: JSON.stringify(ROUTES),
      BROKER_SCOPES: 'orders/write orders/read catalog/read',
      BROKER_TIMEOUT_MS: '300',
    });
    // A fresh module is a fresh Lambda execution environment: no cached client or token.
    handler = freshModule(
      path.join(__dirname, '../../../../constructs/front-office/handlers/broker-api'),
    ).handler;
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  const post = (body: string, isBase64Encoded = false): HttpApiEvent => ({
    routeKey: 'POST /orders',
    body,
    isBase64Encoded,
    requestContext: { requestId: 'api-1' },
  });

  test('POST /orders answers 202 with the broker body, reading the secret through the SDK', async () => {
    const result = await handler(post(JSON.stringify(ORDER)));
    expect(result).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'ORD-20260001', status: 'accepted', requestId: 'broker-1' }),
    });
    expect(secrets.requests[0].headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(new URLSearchParams(tokens.requests[0].body).get('scope')).toBe(
      'orders/write orders/read catalog/read',
    );
  });

  test('accepts a base64-encoded body', async () => {
    const result = await handler(post(Buffer.from(JSON.stringify(ORDER)).toString('base64'), true));
    expect(result.statusCode).toBe(202);
  });

  test('GET /catalog/items passes the category on; GET /orders/{orderId} encodes the id', async () => {
    const items = await handler({
      routeKey: 'GET /catalog/items',
      queryStringParameters: { category: 'tea', other: 'dropped' },
    });
    expect(items.statusCode).toBe(200);
    expect(JSON.parse(items.body).items).toHaveLength(1);
    const order = await handler({
      routeKey: 'GET /orders/{orderId}',
      pathParameters: { orderId: 'A/B' },
    });
    expect(JSON.parse(order.body)).toEqual({
      orderId: 'A/B',
      status: 'invoiced',
      requestId: 'broker-2',
    });
    expect(broker.requests.map((r) => r.url)).toEqual([
      '/v1/catalog/items?category=tea',
      '/v1/orders/A%2FB',
    ]);
    expect(tokens.requests).toHaveLength(1);
  });

  test('fails with 400 and calls nothing when the body is not JSON or a parameter is missing', async () => {
    const notJson = await handler(post('{"orderId":'));
    const noCategory = await handler({ routeKey: 'GET /catalog/items' });
    expect([notJson.statusCode, JSON.parse(notJson.body)]).toEqual([
      400,
      { message: 'the request body must be JSON', requestId: 'api-1' },
    ]);
    expect([noCategory.statusCode, JSON.parse(noCategory.body).message]).toEqual([
      400,
      'query parameter category is required',
    ]);
    expect(tokens.requests).toHaveLength(0);
    expect(broker.requests).toHaveLength(0);
  });

  test('fails with 404 for a route it was not given', async () => {
    const result = await handler({ routeKey: 'DELETE /orders/{orderId}' });
    expect(result.statusCode).toBe(404);
  });

  test("passes the broker's validation error on, and turns a timeout into 504", async () => {
    const logged: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
    const invalid = await handler(post(JSON.stringify({ ...ORDER, orderId: '' })));
    expect([invalid.statusCode, JSON.parse(invalid.body)]).toEqual([
      400,
      { message: 'Invalid request body', requestId: 'broker-1' },
    ]);
    broker.behaviour = { kind: 'slow', ms: 1500 };
    const slow = await handler(post(JSON.stringify(ORDER)));
    expect([slow.statusCode, JSON.parse(slow.body)]).toEqual([
      504,
      { message: 'the broker did not answer within 300 ms', requestId: 'api-1' },
    ]);
    // Each failure is logged as one JSON line, without the secret or a token.
    expect(logged.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ route: 'POST /orders', status: 400, brokerRequestId: 'broker-1' }),
      expect.objectContaining({ route: 'POST /orders', status: 504, requestId: 'api-1' }),
    ]);
    expect(logged.join('\n')).not.toMatch(/first-secret|token-\d/);
  });
});
