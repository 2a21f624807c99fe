import type { Blueprint, Capability, Operation } from '../blueprint';
import {
  capabilityScopeNames,
  operationMethod,
  operationScope,
  pathParameters,
} from '../blueprint';
import { BROKER_STAGE_NAME } from './broker-manifest';

/** The broker's contract for partners who code against it in their own technology: OpenAPI 3.0. */
export function brokerOpenApi(blueprint: Blueprint): Record<string, unknown> {
  const region = blueprint.region;
  const scopes: Record<string, string> = {};
  for (const capability of blueprint.backOffice.capabilities) {
    for (const scopeName of capabilityScopeNames(capability)) {
      const ops = capability.operations.filter(
        (op) => operationScope(capability, op) === `${capability.name}/${scopeName}`,
      );
      scopes[`${capability.name}/${scopeName}`] =
        `${scopeName} ${capability.name}: ${ops.map((op) => op.name).join(', ')}`;
    }
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const capability of blueprint.backOffice.capabilities) {
    for (const op of capability.operations) {
      paths[op.path] ??= {};
      paths[op.path][operationMethod(op).toLowerCase()] = operation(capability, op);
    }
  }

  return {
    openapi: '3.0.3',
    info: {
      title: `${blueprint.enterprise} broker API`,
      version: `1.0.0-${blueprint.environment}`,
      description:
        'The only door into the back office. Every call needs an OAuth 2.0 access token from the client-credentials flow ' +
        "with the scope of its operation, and the caller's API key (x-api-key), which ties it to its throttle. " +
        'Commands are accepted (202) and processed asynchronously; read the record back by its id.',
    },
    servers: [
      {
        url: `https://{restApiId}.execute-api.{region}.amazonaws.com/${BROKER_STAGE_NAME}`,
        description: 'The deployed broker; its URL is published as the ApiUrl output and in SSM.',
        variables: {
          restApiId: { default: 'restApiId', description: 'The id of the deployed REST API' },
          region: {
            default: region ?? 'us-east-1',
            description: 'The region the broker is deployed to',
          },
        },
      },
    ],
    security: [],
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            "Cognito client-credentials flow; the token endpoint is the broker domain's /oauth2/token.",
          flows: {
            clientCredentials: {
              tokenUrl: `https://${blueprint.broker.domainPrefix}.auth.${region ?? 'us-east-1'}.amazoncognito.com/oauth2/token`,
              scopes,
            },
          },
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['message'],
          properties: {
            message: { type: 'string' },
            details: { type: 'string', description: 'What the request validation found' },
            requestId: { type: 'string' },
          },
        },
      },
      responses: {
        BadRequest: errorResponse('The request body or parameters are not valid'),
        Unauthorized: errorResponse('No valid access token'),
        Forbidden: errorResponse(
          "The token lacks the scope of this operation, or the API key is missing or not the caller's",
        ),
        TooManyRequests: errorResponse('The caller exceeded its throttle'),
        InternalError: errorResponse(
          "The broker could not hand the call to the back office (its own fault, not the request's); a command may be sent again with the same id",
        ),
        BadGateway: errorResponse('The back office is unavailable'),
      },
    },
    paths,
  };
}

function operation(capability: Capability, op: Operation): Record<string, unknown> {
  const scope = operationScope(capability, op);
  const parameters = [
    ...pathParameters(op.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(op.queryParameters ?? []).map((name) => ({
      name,
      in: 'query',
      required: true,
      schema: { type: 'string' },
    })),
  ];
  const common = {
    operationId: `${capability.name}.${op.name}`,
    tags: [capability.name],
    summary: `${op.kind === 'command' ? 'Submit' : 'Read'}: ${capability.name} ${op.name}`,
    description: `${capability.description} Requires scope ${scope}.`,
    security: [{ oauth2: [scope], apiKey: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
  };
  const errors = {
    '400': { $ref: '#/components/responses/BadRequest' },
    '401': { $ref: '#/components/responses/Unauthorized' },
    '403': { $ref: '#/components/responses/Forbidden' },
    '429': { $ref: '#/components/responses/TooManyRequests' },
    '500': { $ref: '#/components/responses/InternalError' },
    '502': { $ref: '#/components/responses/BadGateway' },
  };
  if (op.kind === 'command') {
    const idField = op.idField ?? capability.ledger.partitionKey;
    return {
      ...common,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: toOpenApiSchema(commandRequestSchema(op.body ?? {}, idField)),
          },
        },
      },
      responses: {
        '202': {
          description: `Accepted; the ${capability.name} workflow processes it. Submitting the same ${idField} again is harmless.`,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: [idField, 'status', 'requestId'],
                properties: {
                  [idField]: { type: 'string' },
                  status: { type: 'string', enum: ['accepted'] },
                  requestId: { type: 'string' },
                },
              },
            },
          },
        },
        ...errors,
      },
    };
  }
  const keys = [capability.ledger.partitionKey, capability.ledger.sortKey].filter(
    (k): k is string => !!k,
  );
  const given = [...pathParameters(op.path), ...(op.queryParameters ?? [])];
  const single = keys.every((k) => given.includes(k));
  const record = {
    type: 'object',
    description: `The ${capability.name} record as the back office publishes it`,
    additionalProperties: true,
  };
  return {
    ...common,
    responses: {
      '200': {
        description: single ? 'The record' : 'The records with this key, at most 100',
        content: {
          'application/json': {
            schema: single
              ? record
              : {
                  type: 'object',
                  required: ['items', 'more', 'requestId'],
                  properties: {
                    items: { type: 'array', items: record },
                    more: { type: 'boolean' },
                    requestId: { type: 'string' },
                  },
                },
          },
        },
      },
      ...(single ? { '404': errorResponse(`No such ${capability.name} record`) } : {}),
      ...errors,
    },
  };
}

function errorResponse(description: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/**
 * What the broker validates a command's body against: the operation's schema, with the id field
 * also bound to what SQS takes as a batch entry id (the broker sends the id as one). The broker
 * construct builds its API Gateway model the same way (`commandModelSchema`); a test holds the two
 * equal.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
 */
export function commandRequestSchema(
  body: Record<string, unknown>,
  idField: string,
): Record<string, unknown> {
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  return {
    ...body,
    properties: {
      ...properties,
      [idField]: {
        allOf: [properties[idField] ?? {}, { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' }],
      },
    },
  };
}

/**
 * A JSON Schema (draft 4, as API Gateway models use) as an OpenAPI 3.0 schema object: the keywords
 * OpenAPI does not know are dropped, the rest is the same.
 */
export function toOpenApiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApiSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'id' || key === '$id' || key === 'definitions') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [k, toOpenApiSchema(v)]),
          )
        : toOpenApiSchema(value);
  }
  return out;
}
