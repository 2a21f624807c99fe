import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local HTTP stand-ins for what a product's handler talks to: the broker's token endpoint, the
 * broker's API and Secrets Manager. Real servers on loopback, started by the tests; each records
 * what it received and can be told to fail, be slow or revoke tokens.
 */

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Behaviour =
  | { kind: 'normal' }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'slow'; ms: number };

async function listen(
  handle: (req: Recorded, res: http.ServerResponse) => void | Promise<void>,
): Promise<{ server: http.Server; url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void handle(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Secrets Manager's JSON 1.1 protocol, `GetSecretValue` only. */
export class SecretsManagerStandIn {
  secretString = JSON.stringify({
    clientId: 'shop-client',
    clientSecret: 'first-secret',
    apiKey: 'shop-api-key',
  });
  failWith?: string;
  requests: Recorded[] = [];
  url = '';
  private server?: http.Server;

  async start() {
    const s = await listen((req, res) => {
      const target = req.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        json(res, 400, { __type: 'UnknownOperationException' });
        return;
      }
      if (this.failWith) {
        json(
          res,
          400,
          { __type: this.failWith, message: 'stand-in failure' },
          { 'x-amzn-errortype': this.failWith },
        );
        return;
      }
      const { SecretId } = JSON.parse(req.body);
      json(res, 200, {
        ARN: SecretId,
        Name: 'office-zones/broker/clients/product.web-shop',
        SecretString: this.secretString,
        VersionId: 'v1',
      });
    });
    Object.assign(this, { server: s.server, url: s.url, requests: s.requests });
    return this;
  }

  stop() {
    return close(this.server);
  }
}

/** The OAuth token endpoint: client credentials in HTTP Basic, one new token per request. */
export class TokenEndpointStandIn {
  /** The credentials it accepts. */
  clientId = 'shop-client';
  clientSecret = 'first-secret';
  expiresIn = 3600;
  behaviour: Behaviour = { kind: 'normal' };
  issued: string[] = [];
  requests: Recorded[] = [];
  url = '';
  private server?: http.Server;

  async start() {
    const s = await listen(async (req, res) => {
      if (this.behaviour.kind === 'slow') await sleep(this.behaviour.ms);
      if (this.behaviour.kind === 'status') {
        json(res, this.behaviour.status, this.behaviour.body ?? { error: 'server_error' });
        return;
      }
      const basic = Buffer.from(
        String(req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      const form = new URLSearchParams(req.body);
      if (basic !== `${this.clientId}:${this.clientSecret}`) {
        json(res, 400, { error: 'invalid_client' });
        return;
      }
      if (form.get('grant_type') !== 'client_credentials') {
        json(res, 400, { error: 'unsupported_grant_type' });
        return;
      }
      const token = `token-${this.issued.length + 1}`;
      this.issued.push(token);
      json(res, 200, { access_token: token, expires_in: this.expiresIn, token_type: 'Bearer' });
    });
    Object.assign(this, { server: s.server, url: `${s.url}/oauth2/token`, requests: s.requests });
    return this;
  }

  stop() {
    return close(this.server);
  }
}

/** The broker's REST API stage `v1`: `POST /orders`, `GET /orders/{orderId}`, `GET /catalog/items`. */
export class BrokerStandIn {
  behaviour: Behaviour = { kind: 'normal' };
  requests: Recorded[] = [];
  url = '';
  private server?: http.Server;
  private count = 0;
  /** The API key every call needs (the broker's usage plans); undefined: none needed. */
  apiKey?: string = 'shop-api-key';
  /** Tokens the broker no longer accepts: a cached token that went stale. */
  readonly revoked = new Set<string>();

  constructor(private readonly tokens: TokenEndpointStandIn) {}

  async start() {
    const s = await listen(async (req, res) => {
      const requestId = `broker-${++this.count}`;
      if (this.behaviour.kind === 'slow') await sleep(this.behaviour.ms);
      if (this.behaviour.kind === 'status') {
        json(
          res,
          this.behaviour.status,
          this.behaviour.body ?? { message: 'stand-in failure', requestId },
        );
        return;
      }
      // API Gateway checks the API key first (403), then the authorizer (401).
      if (this.apiKey && req.headers['x-api-key'] !== this.apiKey) {
        json(res, 403, { message: 'Forbidden', requestId });
        return;
      }
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const valid = this.tokens.issued.includes(token) && !this.revoked.has(token);
      if (!valid) {
        json(res, 401, { message: 'Unauthorized', requestId });
        return;
      }
      const url = new URL(req.url, 'http://broker');
      if (req.method === 'POST' && url.pathname === '/v1/orders') {
        const order = JSON.parse(req.body);
        if (!order.orderId) {
          json(res, 400, { message: 'Invalid request body', requestId });
          return;
        }
        json(res, 202, { orderId: order.orderId, status: 'accepted', requestId });
        return;
      }
      const order = /^\/v1\/orders\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && order) {
        json(res, 200, { orderId: decodeURIComponent(order[1]), status: 'invoiced', requestId });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v1/catalog/items') {
        const category = url.searchParams.get('category');
        json(res, 200, {
          items: [{ category, sku: 'TEA-001', name: 'Green tea' }],
          more: false,
          requestId,
        });
        return;
      }
      json(res, 404, { message: 'Not Found', requestId });
    });
    Object.assign(this, { server: s.server, url: `${s.url}/v1/`, requests: s.requests });
    return this;
  }

  stop() {
    return close(this.server);
  }
}

function close(server?: http.Server) {
  return new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
