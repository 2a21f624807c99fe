import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server in front of cognito-local for what the emulator cannot do: throttle, drop
 * connections, page ListUserPoolClients like Cognito does, answer expired credentials, serve SSM
 * parameters, or offer Cognito's secret-rotation operations. It speaks AWS's JSON 1.1 protocol
 * (the operation is in `X-Amz-Target`, errors are `{"__type": ..., "message": ...}`).
 *
 * Requests in another protocol (API Gateway's REST calls, which carry no `X-Amz-Target`) pass to
 * the target unchanged and unrecorded: the API Gateway stand-in injects its own faults.
 */

/** One request the proxy received. */
export interface ProxyCall {
  /** e.g. `ListUserPoolClients` or `GetParameter` */
  readonly operation: string;
  /** e.g. `AWSCognitoIdentityProviderService` or `AmazonSSM` */
  readonly service: string;
  // Parsed JSON body of an AWS request.
  readonly input: any;
  /** The request headers, e.g. the SigV4 `authorization` naming the access key. */
  readonly headers: http.IncomingHttpHeaders;
}

/** An answer of the proxy's own. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface Upstream {
  readonly status: number;
  // Parsed JSON body of the emulator's answer.
  readonly body: any;
}

/** What a handler can do besides answering. */
export interface ProxyTools {
  /** Sends the request on to cognito-local unchanged. */
  forward(): Promise<Upstream>;
  /** Sends another request to cognito-local, e.g. to check that a client exists. */
  upstream(operation: string, input: unknown): Promise<Upstream>;
  /** Destroys the connection without an answer, as a server that goes away. */
  drop(): void;
}

/** Returns an answer, `'forward'` (the default when it returns nothing), or `'dropped'`. */
export type ProxyHandler = (
  call: ProxyCall,
  tools: ProxyTools,
) => Promise<Answer | 'forward' | 'dropped' | void> | Answer | 'forward' | 'dropped' | void;

export interface AwsProxy {
  readonly endpoint: string;
  /** Every request received, in order. */
  readonly calls: ProxyCall[];
  /** Stops listening and cuts every open connection: the server is gone. */
  close(): Promise<void>;
}

/** An AWS JSON error answer. */
export function awsError(status: number, type: string, message: string): Answer {
  return { status, body: { __type: type, message } };
}

function post(target: string, operation: string, service: string, body: string): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${target}/`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `${service}.${operation}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 500, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Passes a request to the target as it came and its answer back as it comes. */
function pipe(target: string, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
  const out = http.request(
    `${target}${req.url ?? '/'}`,
    { method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => req.socket.destroy());
  out.end(body);
}

export async function startAwsProxy(target: string, handler: ProxyHandler): Promise<AwsProxy> {
  const calls: ProxyCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!req.headers['x-amz-target']) return pipe(target, req, res, Buffer.concat(chunks));
      const raw = Buffer.concat(chunks).toString('utf8');
      const [service, operation] = String(req.headers['x-amz-target'] ?? '.').split('.');
      const call: ProxyCall = {
        service,
        operation,
        input: raw ? JSON.parse(raw) : {},
        headers: req.headers,
      };
      calls.push(call);
      const send = (answer: Upstream | Answer) => {
        const body = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      };
      const tools: ProxyTools = {
        forward: () => post(target, operation, service, raw),
        upstream: (op, input) => post(target, op, service, JSON.stringify(input)),
        drop: () => req.socket.destroy(),
      };
      Promise.resolve(handler(call, tools))
        .then(async (answer) => {
          if (answer === 'dropped') return;
          send(answer === undefined || answer === 'forward' ? await tools.forward() : answer);
        })
        .catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
