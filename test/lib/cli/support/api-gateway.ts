import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for API Gateway's control plane (there is no API Gateway emulator here): a real HTTP
 * server on a loopback port that speaks the REST JSON protocol the AWS SDK uses for the calls the
 * CLI makes, with the account's API keys and usage plans in memory.
 *
 * - `POST /apikeys` (CreateApiKey): 201; a value shorter than 20 characters is a
 *   BadRequestException, a value another key has is a ConflictException; keys are disabled unless
 *   `enabled` is true, as in API Gateway.
 * - `GET /apikeys?name=&includeValues=&limit=&position=` (GetApiKeys): the name query matches a
 *   prefix (API Gateway does not document it as exact, so the CLI must not rely on it), values only
 *   with `includeValues=true`.
 * - `DELETE /apikeys/{id}` (DeleteApiKey): 202, and the key leaves every usage plan.
 * - `POST /usageplans/{id}/keys` (CreateUsagePlanKey): 201; unknown plan or key is a
 *   NotFoundException, a key already in the plan, or in another plan of the same API stage, a
 *   ConflictException.
 * - `GET /usageplans/{id}/keys?name=&limit=&position=` (GetUsagePlanKeys) and
 *   `GET /usageplans?keyId=&limit=&position=` (GetUsagePlans).
 *
 * Lists are paged as API Gateway pages them: `limit` (default 25, at most 500) and an opaque
 * `position`; `pageSize` caps pages further so that tests exercise paging with a few items.
 * Errors carry their type in the `x-amzn-errortype` header and `{"message"}` in the body.
 *
 * Every other request (AWS JSON 1.1, with `X-Amz-Target`: Cognito) is passed unchanged to
 * `upstream`, so that one `--endpoint-url` serves both services, as it does for the CLI's users
 * with a local emulator.
 */

/** One API Gateway request the stand-in received. */
export interface GatewayCall {
  /** e.g. `CreateApiKey` */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  // Parsed JSON body of the request, {} when there is none.
  readonly body: any;
}

/** An answer: status, error type (for errors) and JSON body. */
export interface GatewayAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

/** What a fault handler can do besides answering. */
export interface GatewayTools {
  /** Carries the request out on the account's state and returns the answer, without sending it. */
  handle(): GatewayAnswer;
  /** Destroys the connection without an answer. */
  drop(): void;
}

/**
 * Injects a fault: returns an answer to send instead, `'dropped'` after `tools.drop()`, or nothing
 * to let the request be carried out normally.
 */
export type GatewayFault = (
  call: GatewayCall,
  tools: GatewayTools,
) => GatewayAnswer | 'dropped' | void | Promise<GatewayAnswer | 'dropped' | void>;

/** An API key as the account holds it. */
export interface StoredKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  enabled: boolean;
  readonly createdDate: number;
}

export interface StoredPlan {
  readonly id: string;
  readonly name: string;
  readonly apiStages: { readonly apiId: string; readonly stage: string }[];
  readonly keys: Set<string>;
}

export interface ApiGatewayStandIn {
  readonly endpoint: string;
  /** Every API Gateway request received, in order. */
  readonly calls: GatewayCall[];
  /** The fault handler of the current test, if any. */
  faults: GatewayFault | undefined;
  /** At most this many items per page, whatever `limit` asks for. */
  pageSize: number;
  /** From now on every API Gateway request loses its connection (Cognito calls still pass). */
  goAway(): void;
  /** Answers again after `goAway()`. */
  comeBack(): void;

  // The account's state, for tests to set up and to inspect, as the console would.
  addRestApi(): string;
  addUsagePlan(name: string, apiId: string, stage: string): string;
  addApiKey(name: string, options?: { enabled?: boolean }): StoredKey;
  addToPlan(planId: string, keyId: string): void;
  deleteApiKey(keyId: string): void;
  readonly keys: Map<string, StoredKey>;
  readonly plans: Map<string, StoredPlan>;
  /** An empty account: no APIs, plans or keys. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

/** An id like API Gateway's: ten lower-case letters and digits. */
function newId(): string {
  return randomBytes(5).toString('hex');
}

function error(status: number, errorType: string, message: string): GatewayAnswer {
  return { status, errorType, body: { message } };
}

export async function startApiGatewayStandIn(upstream: string): Promise<ApiGatewayStandIn> {
  const calls: GatewayCall[] = [];
  const keys = new Map<string, StoredKey>();
  const plans = new Map<string, StoredPlan>();
  const apis = new Set<string>();
  let gone = false;
  let clock = Math.floor(Date.now() / 1000);

  const standIn = {} as ApiGatewayStandIn;

  /** One page of items, as API Gateway pages its collections. */
  function page<T>(items: T[], query: URLSearchParams): GatewayAnswer {
    const limitText = query.get('limit');
    const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return error(400, 'BadRequestException', `Invalid limit: ${limitText}`);
    }
    const position = query.get('position');
    let start = 0;
    if (position !== null) {
      start = Number(Buffer.from(position, 'base64url').toString('utf8').replace(/^at:/, ''));
      if (!Number.isInteger(start) || start < 0) {
        return error(400, 'BadRequestException', 'Invalid position');
      }
    }
    const end = start + Math.min(limit, standIn.pageSize);
    return {
      status: 200,
      body: {
        item: items.slice(start, end),
        ...(end < items.length
          ? { position: Buffer.from(`at:${end}`, 'utf8').toString('base64url') }
          : {}),
      },
    };
  }

  const keyJson = (k: StoredKey, withValue: boolean) => ({
    id: k.id,
    name: k.name,
    enabled: k.enabled,
    createdDate: k.createdDate,
    lastUpdatedDate: k.createdDate,
    stageKeys: [],
    ...(withValue ? { value: k.value } : {}),
  });

  /** Which operation a request is, by method and path, as the SDK builds them. */
  function operationOf(method: string, path: string): string {
    if (path === '/apikeys') return method === 'POST' ? 'CreateApiKey' : 'GetApiKeys';
    if (/^\/apikeys\/[^/]+$/.test(path)) {
      return method === 'DELETE' ? 'DeleteApiKey' : `${method} ${path}`;
    }
    if (path === '/usageplans' && method === 'GET') return 'GetUsagePlans';
    if (/^\/usageplans\/[^/]+\/keys$/.test(path)) {
      return method === 'POST' ? 'CreateUsagePlanKey' : 'GetUsagePlanKeys';
    }
    return `${method} ${path}`;
  }

  function handle(call: GatewayCall): GatewayAnswer {
    const { operation, path, query, body } = call;
    const segment = (i: number) => decodeURIComponent(path.split('/')[i]);
    switch (operation) {
      case 'CreateApiKey': {
        const value: string = body.value ?? randomBytes(30).toString('base64url').slice(0, 40);
        if (value.length < 20) {
          return error(
            400,
            'BadRequestException',
            'API Key value should be at least 20 characters',
          );
        }
        if ([...keys.values()].some((k) => k.value === value)) {
          return error(409, 'ConflictException', 'API Key already exists');
        }
        const key: StoredKey = {
          id: newId(),
          name: body.name ?? '',
          value,
          enabled: body.enabled === true,
          createdDate: clock++,
        };
        keys.set(key.id, key);
        return { status: 201, body: { ...keyJson(key, true), description: body.description } };
      }
      case 'GetApiKeys': {
        const name = query.get('name');
        const withValues = query.get('includeValues') === 'true';
        const found = [...keys.values()].filter((k) => name === null || k.name.startsWith(name));
        return page(
          found.map((k) => keyJson(k, withValues)),
          query,
        );
      }
      case 'DeleteApiKey': {
        const id = segment(2);
        if (!keys.delete(id)) {
          return error(404, 'NotFoundException', 'Invalid API Key identifier specified');
        }
        for (const plan of plans.values()) plan.keys.delete(id);
        return { status: 202, body: {} };
      }
      case 'GetUsagePlans': {
        const keyId = query.get('keyId');
        const found = [...plans.values()].filter((p) => keyId === null || p.keys.has(keyId));
        return page(
          found.map((p) => ({ id: p.id, name: p.name, apiStages: p.apiStages })),
          query,
        );
      }
      case 'CreateUsagePlanKey': {
        const plan = plans.get(segment(2));
        if (!plan) return error(404, 'NotFoundException', 'Invalid Usage Plan ID specified');
        if (body.keyType !== 'API_KEY') {
          return error(400, 'BadRequestException', 'Invalid key type specified');
        }
        const key = keys.get(body.keyId);
        if (!key) return error(404, 'NotFoundException', 'Invalid API Key identifier specified');
        if (plan.keys.has(key.id)) {
          return error(
            409,
            'ConflictException',
            `Usage Plan ${plan.id} already contains API Key ${key.id}`,
          );
        }
        const clash = [...plans.values()].find(
          (p) =>
            p.keys.has(key.id) &&
            p.apiStages.some((s) =>
              plan.apiStages.some((t) => t.apiId === s.apiId && t.stage === s.stage),
            ),
        );
        if (clash) {
          return error(
            409,
            'ConflictException',
            `Usage Plan ${plan.id} cannot be added because API Key ${key.id} cannot reference multiple Usage Plans with the same API Stage`,
          );
        }
        plan.keys.add(key.id);
        return {
          status: 201,
          body: { id: key.id, type: 'API_KEY', name: key.name, value: key.value },
        };
      }
      case 'GetUsagePlanKeys': {
        const plan = plans.get(segment(2));
        if (!plan) return error(404, 'NotFoundException', 'Invalid Usage Plan ID specified');
        const name = query.get('name');
        const found = [...plan.keys]
          .map((id) => keys.get(id)!)
          .filter((k) => name === null || k.name.startsWith(name));
        return page(
          found.map((k) => ({ id: k.id, type: 'API_KEY', name: k.name, value: k.value })),
          query,
        );
      }
      default:
        return error(404, 'NotFoundException', `the stand-in does not implement ${operation}`);
    }
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const out = http.request(
      `${upstream}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => req.socket.destroy());
    out.end(raw);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.headers['x-amz-target']) return forward(req, res, raw);
      if (gone) return req.socket.destroy();
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const method = req.method ?? 'GET';
      const text = raw.toString('utf8');
      const call: GatewayCall = {
        operation: operationOf(method, url.pathname),
        method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : {},
      };
      calls.push(call);
      const send = (answer: GatewayAnswer) => {
        const body = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
        });
        res.end(body);
      };
      const tools: GatewayTools = {
        handle: () => handle(call),
        drop: () => req.socket.destroy(),
      };
      Promise.resolve(standIn.faults?.(call, tools))
        .then((answer) => {
          if (answer === 'dropped') return;
          send(answer ?? handle(call));
        })
        .catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(standIn, {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    faults: undefined,
    pageSize: MAX_LIMIT,
    keys,
    plans,
    goAway: () => {
      gone = true;
    },
    comeBack: () => {
      gone = false;
    },
    addRestApi: () => {
      const id = newId();
      apis.add(id);
      return id;
    },
    addUsagePlan: (name: string, apiId: string, stage: string) => {
      if (!apis.has(apiId)) throw new Error(`no REST API ${apiId} in the stand-in`);
      const id = newId();
      plans.set(id, { id, name, apiStages: [{ apiId, stage }], keys: new Set() });
      return id;
    },
    addApiKey: (name: string, options: { enabled?: boolean } = {}) => {
      const key: StoredKey = {
        id: newId(),
        name,
        value: randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40),
        enabled: options.enabled ?? true,
        createdDate: clock++,
      };
      keys.set(key.id, key);
      return key;
    },
    addToPlan: (planId: string, keyId: string) => {
      plans.get(planId)!.keys.add(keyId);
    },
    deleteApiKey: (keyId: string) => {
      keys.delete(keyId);
      for (const plan of plans.values()) plan.keys.delete(keyId);
    },
    reset: () => {
      keys.clear();
      plans.clear();
      apis.clear();
      calls.length = 0;
      gone = false;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
