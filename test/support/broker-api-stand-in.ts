import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv from 'ajv-draft-04';
import type { BrokerManifest } from '../../lib/contract/broker-manifest';

/**
 * A loopback stand-in for the deployed broker's REST API stage: the routes of the manifest, each
 * behind what API Gateway runs before the integration, in the order it runs them:
 *
 * 1. no route for the method and path: 403 `Missing Authentication Token`;
 * 2. the Cognito authorizer: a valid access token (signature, issuer, expiry, `token_use`) that
 *    carries the route's scope, else 401 `Unauthorized`;
 * 3. the API key (source HEADER, `x-api-key`) of a usage plan of the stage, else 403 `Forbidden`
 *    (after the authorizer, which with API key source AUTHORIZER supplies the key);
 * 4. the request validator: required path and query parameters, the body against the route's
 *    model (JSON Schema draft 4), else 400 with the broker's gateway-response bodies;
 * 5. the integration, through one pluggable function, `BrokerTranslation`, that turns the method
 *    request into an integration request (to SQS or DynamoDB), sends it with `integrate`, and
 *    turns the answer into the method response. `contractTranslation` follows the broker's public
 *    contract (broker-openapi.json); a renderer of the broker's real VTL mapping templates can take
 *    its place without touching the rest.
 *
 * Error bodies are the broker's gateway responses: `{"message": ..., "requestId": ...}`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
export type StandInRoute = BrokerManifest['routes'][number];

/** What the integration sees of a method request that passed API Gateway's checks. */
export interface MethodRequest {
  readonly route: StandInRoute;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly queryParameters: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, as received. */
  readonly body: string;
  /** API Gateway's `$context` values the broker's templates use. */
  readonly context: {
    readonly requestId: string;
    /** Milliseconds since the epoch. */
    readonly requestTimeEpoch: number;
    readonly stage: string;
    readonly authorizer: { readonly claims: Readonly<Record<string, string>> };
  };
}

/** An AWS service call as API Gateway makes it for an AWS integration (POST to the endpoint). */
export interface IntegrationRequest {
  readonly service: 'sqs' | 'dynamodb';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface IntegrationResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface MethodResponse {
  readonly status: number;
  readonly body: string;
}

export type Integrate = (request: IntegrationRequest) => Promise<IntegrationResponse>;

/**
 * The request-to-integration and integration-to-response translation of one method: the one
 * place where the broker's mapping templates act.
 */
export type BrokerTranslation = (
  request: MethodRequest,
  integrate: Integrate,
) => Promise<MethodResponse>;

/** Where a capability's routes lead in the back office. */
export interface BackOfficeTarget {
  /** Commands: the intake queue's URL. */
  readonly queueUrl?: string;
  readonly ledgerTable: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface BrokerApiStandInProps {
  readonly routes: readonly StandInRoute[];
  /** The claims of a valid access token, else undefined (the Cognito authorizer's checks). */
  readonly verifyToken: (token: string) => Record<string, unknown> | undefined;
  /** The values of the enabled API keys in a usage plan of this stage. */
  readonly apiKeys: () => ReadonlySet<string>;
  readonly translation: BrokerTranslation;
  /** Where AWS integrations are sent. */
  readonly endpoints: { readonly sqs: string; readonly dynamodb: string };
  /** @default 'v1' */
  readonly stage?: string;
}

export interface BrokerApiStandIn {
  /** The stage URL, as the manifest's `api.url`: `http://127.0.0.1:<port>/v1/`. */
  readonly url: string;
  /** Every integration request sent, in order. */
  readonly integrations: IntegrationRequest[];
  close(): Promise<void>;
}

/** The broker's gateway-response bodies (constructs/broker/api.ts addJsonGatewayResponses). */
function gatewayError(message: string, requestId: string, details?: string): string {
  return JSON.stringify({ message, ...(details !== undefined ? { details } : {}), requestId });
}

function match(
  routes: readonly StandInRoute[],
  method: string,
  path: string,
): { route: StandInRoute; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/').filter(Boolean);
    if (template.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = template.every((t, i) => {
      const m = /^\{(.+)\}$/.exec(t);
      if (m) {
        params[m[1]] = decodeURIComponent(parts[i]);
        return true;
      }
      return t === parts[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startBrokerApiStandIn(
  props: BrokerApiStandInProps,
): Promise<BrokerApiStandIn> {
  const stage = props.stage ?? 'v1';
  // API Gateway models are JSON Schema draft 4; its regexes have no u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validators = new Map(
    props.routes.filter((r) => r.body).map((r) => [r, ajv.compile(r.body as object)]),
  );
  const integrations: IntegrationRequest[] = [];

  const integrate: Integrate = async (request) => {
    integrations.push(request);
    const response = await fetch(props.endpoints[request.service], {
      method: 'POST',
      headers: { ...signatureShape(request.service), ...request.headers },
      body: request.body,
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: await response.text(),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const body = await read(req);
    const answer = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const prefix = `/${stage}`;
    const found =
      url.pathname.startsWith(`${prefix}/`) &&
      match(props.routes, req.method ?? '', url.pathname.slice(prefix.length));
    if (!found) return answer(403, gatewayError('Missing Authentication Token', requestId));
    const { route, params } = found;

    // 2. The Cognito authorizer: the Authorization header, with or without "Bearer ".
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const claims = token ? props.verifyToken(token) : undefined;
    const scopes = typeof claims?.scope === 'string' ? claims.scope.split(' ') : [];
    if (!claims || !scopes.includes(route.scope)) {
      return answer(401, gatewayError('Unauthorized', requestId));
    }
    // 3. The API key.
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || !props.apiKeys().has(key)) {
      return answer(403, gatewayError('Forbidden', requestId));
    }
    // 4. The request validator.
    const query = Object.fromEntries(url.searchParams.entries());
    const missing = [
      ...Object.entries(params)
        .filter(([, v]) => v === '')
        .map(([k]) => k),
      ...(route.queryParameters ?? []).filter((q) => !query[q]),
    ];
    if (missing.length > 0) {
      return answer(
        400,
        gatewayError(
          'the request parameters are not valid',
          requestId,
          `Missing required request parameters: [${missing.join(', ')}]`,
        ),
      );
    }
    const validate = validators.get(route);
    if (validate) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return answer(
          400,
          gatewayError(
            'the request body is not valid',
            requestId,
            '[Invalid JSON in request body]',
          ),
        );
      }
      if (!validate(parsed)) {
        const errors = (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`,
        );
        return answer(
          400,
          gatewayError('the request body is not valid', requestId, `[${errors.join(', ')}]`),
        );
      }
    }
    // 5. The integration.
    const out = await props.translation(
      {
        route,
        pathParameters: params,
        queryParameters: query,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v ?? '')]),
        ),
        body,
        context: {
          requestId,
          requestTimeEpoch: Date.now(),
          stage,
          authorizer: {
            claims: Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, String(v)])),
          },
        },
      },
      integrate,
    );
    return answer(out.status, out.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(gatewayError(`stand-in failure: ${e.message}`, 'none'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${stage}/`,
    integrations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The headers of a SigV4-signed AWS call as API Gateway sends it with the integration role. The
 * signature is not computed: dynalite checks the header's shape, not the signature, and the SQS
 * stand-in checks nothing.
 */
function signatureShape(service: string): Record<string, string> {
  const date = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return {
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDSTANDIN/${date.slice(0, 8)}/eu-west-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  };
}

/**
 * The translation of the broker's public contract (broker-openapi.json), written in TypeScript:
 * commands go to the capability's intake queue with SQS `SendMessage` in the AWS JSON protocol
 * (the validated body, and who sent it as message attributes) and answer 202 with the record's
 * id; queries read the ledger with DynamoDB `GetItem` (every key given) or `Query` (partition key
 * only) and answer the records' `view`; a back office that does not answer 200 is a 502.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 */
export function contractTranslation(
  targets: Readonly<Record<string, BackOfficeTarget>>,
): BrokerTranslation {
  return async (request, integrate) => {
    const { route, context } = request;
    const target = targets[route.operation.split('.')[0]];
    if (!target) throw new Error(`no back-office target for ${route.operation}`);
    const requestId = context.requestId;
    const json = (status: number, body: unknown): MethodResponse => ({
      status,
      body: JSON.stringify(body),
    });

    if (route.kind === 'command') {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const answer = await integrate({
        service: 'sqs',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        },
        body: JSON.stringify({
          QueueUrl: target.queueUrl,
          MessageBody: JSON.stringify(body),
          MessageAttributes: {
            clientId: { DataType: 'String', StringValue: context.authorizer.claims.client_id },
            requestId: { DataType: 'String', StringValue: requestId },
            operation: { DataType: 'String', StringValue: route.operation },
            receivedAt: { DataType: 'Number', StringValue: String(context.requestTimeEpoch) },
          },
        }),
      });
      if (answer.status !== 200) {
        return json(502, { message: 'the back office did not accept the command', requestId });
      }
      return json(202, { [route.idField!]: body[route.idField!], status: 'accepted', requestId });
    }

    const given = { ...request.pathParameters, ...request.queryParameters };
    const { partitionKey, sortKey } = target;
    const single = partitionKey in given && (!sortKey || sortKey in given);
    const call = single
      ? {
          target: 'DynamoDB_20120810.GetItem',
          input: {
            TableName: target.ledgerTable,
            Key: Object.fromEntries(
              [partitionKey, ...(sortKey ? [sortKey] : [])].map((k) => [k, { S: given[k] }]),
            ),
            ConsistentRead: true,
            ProjectionExpression: '#v',
            ExpressionAttributeNames: { '#v': 'view' },
          },
        }
      : {
          target: 'DynamoDB_20120810.Query',
          input: {
            TableName: target.ledgerTable,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': partitionKey, '#v': 'view' },
            ExpressionAttributeValues: { ':pk': { S: given[partitionKey] } },
            ProjectionExpression: '#v',
            Limit: 100,
          },
        };
    const answer = await integrate({
      service: 'dynamodb',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': call.target },
      body: JSON.stringify(call.input),
    });
    if (answer.status !== 200) {
      return json(502, { message: 'the back office could not answer', requestId });
    }
    const out = JSON.parse(answer.body) as {
      Item?: { view?: { S?: string } };
      Items?: { view?: { S?: string } }[];
      LastEvaluatedKey?: unknown;
    };
    if (single) {
      const view = out.Item?.view?.S;
      return view === undefined
        ? json(404, { message: 'no such record', requestId })
        : { status: 200, body: view };
    }
    return json(200, {
      items: (out.Items ?? []).flatMap((i) => (i.view?.S ? [JSON.parse(i.view.S)] : [])),
      more: out.LastEvaluatedKey !== undefined,
      requestId,
    });
  };
}
