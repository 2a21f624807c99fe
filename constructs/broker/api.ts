import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { ISystemOfRecord } from '../back-office/system-of-record';
import { pascal } from '../naming';
import { commandModelSchema } from './command-model';
import { BROKER_DEFAULTS } from './defaults';

export { commandModelSchema, SQS_BATCH_ENTRY_ID } from './command-model';

/** One route of the broker: a capability's operation. */
export interface BrokerRoute {
  /** The capability, e.g. `orders`. */
  readonly capability: string;
  /** The operation, e.g. `submit`. */
  readonly operation: string;
  /** `command` sends to the intake queue; `query` reads the ledger. */
  readonly kind: 'command' | 'query';
  /** The resource path, e.g. `/orders/{orderId}`. */
  readonly path: string;
  /** The full OAuth scope a caller needs, e.g. `orders/write`. */
  readonly scope: string;
  /** Commands: the JSON Schema (draft 4) of the body. */
  readonly body?: Record<string, unknown>;
  /** Commands: the body field that identifies the record; echoed in the 202 answer. */
  readonly idField?: string;
  /** Queries: required query-string parameters. */
  readonly queryParameters?: readonly string[];
}

/** A back-office capability as the broker sees it. */
export interface BrokerTarget {
  /** The capability's system of record. */
  readonly system: ISystemOfRecord;
  /**
   * Physical name of the capability's integration role, so the back office can name it in its
   * resource policies without a reference back to the broker.
   * @default - a CloudFormation-generated name
   */
  readonly integrationRoleName?: string;
}

export interface BrokerApiProps {
  /** The user pool whose access tokens the Cognito authorizer accepts. */
  readonly userPool: cognito.IUserPool;
  /** The routes, one per capability operation. */
  readonly routes: readonly BrokerRoute[];
  /** The back-office capabilities the routes lead to, by capability name. */
  readonly targets: Readonly<Record<string, BrokerTarget>>;
  /** Encrypts the log groups. Its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * The REST API's name.
   * @default - a CloudFormation-generated name
   */
  readonly restApiName?: string;
  /**
   * The stage's name, the first segment of every URL path.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * The stage's throttle, for all callers together.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * How long access and execution logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether every route also needs an API key. Keys tie a consumer to its usage plan (its
   * throttle); the OAuth token remains what authenticates and authorises.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
}

/** API Gateway quotas a broker API is checked against at synth. */
export const REST_API_QUOTAS = { resources: 300, authorizers: 10 } as const;

/**
 * The broker's REST API: one route per capability operation, each behind a Cognito authorizer
 * with the operation's scope, validated against the capability's contract, and integrated
 * straight with the back office (SQS for commands, DynamoDB for queries) through one role per
 * capability.
 *
 * Default settings:
 * - regional endpoint; stage `v1` throttled at 100 requests/s, burst 200;
 * - JSON access logs and execution logs at ERROR, in KMS-encrypted log groups kept one year;
 * - X-Ray tracing and CloudWatch metrics on;
 * - every request body and parameter validated; errors answered as JSON with the request id;
 * - a synth-time check that no method (CORS preflight aside) lacks the Cognito authorizer and a
 *   scope, whoever added it.
 */
export class BrokerApi extends Construct {
  /** The REST API. */
  readonly restApi: apigw.RestApi;
  /** Its one stage. */
  readonly stage: apigw.Stage;
  /** The stage's JSON access logs (with the caller's client id). */
  readonly accessLogs: logs.ILogGroup;
  /** The integration role of each capability, by capability name. */
  /** The integration role of each capability, by capability name. */
  get integrationRoles(): ReadonlyMap<string, iam.IRole> {
    return this.rolesByCapability;
  }
  private readonly rolesByCapability = new Map<string, iam.IRole>();
  private readonly authorizer: apigw.CognitoUserPoolsAuthorizer;
  private readonly validator: apigw.RequestValidator;
  private readonly errorModel: apigw.Model;
  private readonly apiKeyRequired: boolean;

  constructor(scope: Construct, id: string, props: BrokerApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'v1';
    this.apiKeyRequired = props.apiKeyRequired ?? false;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: props.encryptionKey,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.restApi = new apigw.RestApi(this, 'Resource', {
      restApiName: props.restApiName,
      description: 'Office Zones broker: the only door from the front office to the back office.',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // API Gateway writes execution logs with an account-wide role; CDK makes it and the
      // AWS::ApiGateway::Account that points at it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttle?.rateLimit ?? BROKER_DEFAULTS.api.throttle.rateLimit,
        throttlingBurstLimit: props.throttle?.burstLimit ?? BROKER_DEFAULTS.api.throttle.burstLimit,
      },
    });
    this.stage = this.restApi.deploymentStage;

    // Execution logs go to a group API Gateway names after the API and stage; making it here
    // gives it the key and the retention instead of an unencrypted group kept forever.
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      encryptionKey: props.encryptionKey,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage.node.addDependency(executionLogs);

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      resultsCacheTtl: Duration.minutes(5),
    });
    this.validator = new apigw.RequestValidator(this, 'Validator', {
      restApi: this.restApi,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.errorModel = this.restApi.addModel('ErrorModel', {
      contentType: 'application/json',
      modelName: 'Error',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'Error',
        type: apigw.JsonSchemaType.OBJECT,
        required: ['message'],
        properties: {
          message: { type: apigw.JsonSchemaType.STRING },
          requestId: { type: apigw.JsonSchemaType.STRING },
        },
      },
    });
    addJsonGatewayResponses(this.restApi);

    for (const route of props.routes) {
      const target = props.targets[route.capability];
      if (!target)
        throw new Error(
          `route ${route.path} leads to capability ${route.capability}, which has no target`,
        );
      this.addRoute(route, target);
    }

    this.node.addValidation({
      validate: () => [...unguardedMethods(this.restApi), ...quotaProblems(this.restApi)],
    });
  }

  /** The URL of the stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/v1/`. */
  get url(): string {
    return this.restApi.url;
  }

  private addRoute(route: BrokerRoute, target: BrokerTarget) {
    const role = this.integrationRole(route.capability, target);
    const resource = this.restApi.root.resourceForPath(route.path);
    const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const requestParameters: Record<string, boolean> = {};
    for (const p of pathParams) requestParameters[`method.request.path.${p}`] = true;
    for (const q of route.queryParameters ?? [])
      requestParameters[`method.request.querystring.${q}`] = true;

    const common: Partial<apigw.MethodOptions> = {
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: this.authorizer,
      authorizationScopes: [route.scope],
      requestValidator: this.validator,
      apiKeyRequired: this.apiKeyRequired,
      operationName: `${route.capability}.${route.operation}`,
    };

    if (route.kind === 'command') {
      const system = target.system;
      if (!system.intakeQueue)
        throw new Error(`capability ${route.capability} has commands but no intake queue`);
      if (!route.body || !route.idField)
        throw new Error(
          `command ${route.capability}.${route.operation} needs a body schema and an idField`,
        );
      system.grantSubmit(role);
      const model = this.restApi.addModel(
        `${pascal(route.capability)}${pascal(route.operation)}Model`,
        {
          contentType: 'application/json',
          modelName: `${pascal(route.capability)}${pascal(route.operation)}`,
          schema: commandModelSchema(route.body, route.idField) as apigw.JsonSchema,
        },
      );
      resource.addMethod('POST', commandIntegration(route, system, role), {
        ...common,
        requestModels: { 'application/json': model },
        methodResponses: this.methodResponses(['202', '500', '502']),
      });
    } else {
      target.system.grantRead(role);
      const { partitionKey, sortKey } = target.system.ledgerKeys;
      const given = new Set([...pathParams, ...(route.queryParameters ?? [])]);
      // Only a read of one record (every key given) can find none: 404.
      const single = given.has(partitionKey) && (!sortKey || given.has(sortKey));
      resource.addMethod('GET', queryIntegration(target.system, role, single), {
        ...common,
        requestParameters,
        methodResponses: this.methodResponses(
          single ? ['200', '404', '500', '502'] : ['200', '500', '502'],
        ),
      });
    }
  }

  private integrationRole(capability: string, target: BrokerTarget): iam.IRole {
    let role = this.rolesByCapability.get(capability);
    if (!role) {
      role = new iam.Role(this, `${pascal(capability)}IntegrationRole`, {
        roleName: target.integrationRoleName,
        description: `The broker's way into the ${capability} capability, and nothing else.`,
        // No condition: API Gateway is not documented to send aws:SourceAccount or
        // aws:SourceArn when it assumes a credentials role (policies/trust).
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      });
      this.rolesByCapability.set(capability, role);
    }
    return role;
  }

  private methodResponses(codes: string[]): apigw.MethodResponse[] {
    return codes.map((statusCode) => ({
      statusCode,
      responseModels: {
        'application/json': statusCode.startsWith('2') ? apigw.Model.EMPTY_MODEL : this.errorModel,
      },
    }));
  }
}

/** A JSON error body API Gateway fills in. */
const ERROR_BODY = '{"message":$context.error.messageString,"requestId":"$context.requestId"}';

/** Gateway errors (auth, validation, throttling) answered as JSON, validation with its reasons. */
function addJsonGatewayResponses(api: apigw.RestApi) {
  const responses: [string, apigw.ResponseType, string][] = [
    [
      'BadRequestBody',
      apigw.ResponseType.BAD_REQUEST_BODY,
      `{"message":"the request body is not valid","details":${jsonString('$context.error.validationErrorString')},"requestId":"$context.requestId"}`,
    ],
    [
      'BadRequestParameters',
      apigw.ResponseType.BAD_REQUEST_PARAMETERS,
      `{"message":"the request parameters are not valid","details":${jsonString('$context.error.validationErrorString')},"requestId":"$context.requestId"}`,
    ],
    ['Default4xx', apigw.ResponseType.DEFAULT_4XX, ERROR_BODY],
    ['Default5xx', apigw.ResponseType.DEFAULT_5XX, ERROR_BODY],
  ];
  for (const [id, type, body] of responses) {
    api.addGatewayResponse(id, { type, templates: { 'application/json': body } });
  }
}

/** JSON access log: who called (the app client), what, and how it ended. */
function accessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      extendedRequestId: '$context.extendedRequestId',
      requestTime: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      clientId: '$context.authorizer.claims.client_id',
      scope: '$context.authorizer.claims.scope',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      integrationStatus: '$context.integration.status',
      integrationLatency: '$context.integration.latency',
      wafStatus: '$context.waf.status',
      errorMessage: '$context.error.message',
      xrayTraceId: '$context.xrayTraceId',
    }),
  );
}

/**
 * A VTL expression that renders a value inside a JSON string. `$util.escapeJavaScript` escapes
 * `'` as `\'`, which JSON does not allow, so it is turned back (AWS's advice); `$!` renders a
 * null value as nothing instead of the expression's own text.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference
 */
function jsonString(expr: string): string {
  return `"$!util.escapeJavaScript(${expr}).replaceAll("\\\\'","'")"`;
}

/** An error answer; `status` overrides the integration response's status when given. */
function errorTemplate(message: string, status?: number): string {
  return [
    ...(status ? [`#set($context.responseOverride.status = ${status})`] : []),
    `{"message":"${message}","requestId":"$context.requestId"}`,
  ].join('\n');
}

/**
 * Integration responses common to both kinds: a 4xx from SQS or DynamoDB means the broker asked
 * wrongly (its role, its template, a queue or table it should not have lost): the broker's fault, a
 * 500, never a 400 about the caller's request, which the validator has already accepted. A 5xx is
 * the back office's own failure: 502.
 */
function failureResponses(what: string): apigw.IntegrationResponse[] {
  return [
    {
      statusCode: '500',
      selectionPattern: '4\\d{2}',
      responseTemplates: {
        'application/json': errorTemplate(
          `the broker could not hand the ${what} to the back office`,
        ),
      },
    },
    {
      statusCode: '502',
      selectionPattern: '5\\d{2}',
      responseTemplates: { 'application/json': errorTemplate('the back office is unavailable') },
    },
  ];
}

/**
 * Commands: SQS `SendMessageBatch` with one entry whose id is the record's id, in SQS's AWS JSON
 * protocol, whose answer AWS documents as JSON. SQS echoes the entry id, which lets the 202 answer
 * carry the record's id (an integration response cannot read the request body).
 * `sqs:SendMessage` authorises the batch call. The message body is the validated request;
 * attributes say which client sent it, under which request id and operation.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
function commandIntegration(
  route: BrokerRoute,
  system: ISystemOfRecord,
  role: iam.IRole,
): apigw.Integration {
  const queue = system.intakeQueue!;
  // Values are VTL expressions rendered as JSON strings; the operation is a constant.
  const attributes: [string, string, string][] = [
    ['clientId', 'String', jsonString('$context.authorizer.claims.client_id')],
    ['requestId', 'String', jsonString('$context.requestId')],
    ['operation', 'String', JSON.stringify(`${route.capability}.${route.operation}`)],
    ['receivedAt', 'Number', '"$context.requestTimeEpoch"'],
  ];
  const messageAttributes = attributes
    .map(([name, type, value]) => `"${name}":{"DataType":"${type}","StringValue":${value}}`)
    .join(',');
  const request = [
    `#set($id = $input.path('$.${route.idField}'))`,
    `{"QueueUrl":"${queue.queueUrl}","Entries":[{"Id":${jsonString('$id')},` +
      `"MessageBody":${jsonString("$input.json('$')")},` +
      `"MessageAttributes":{${messageAttributes}}}]}`,
  ].join('\n');
  const accepted = [
    "#set($ok = $input.path('$.Successful'))",
    '#if($ok && $ok.size() == 1)',
    `{"${route.idField}":${jsonString('$ok.get(0).Id')},"status":"accepted","requestId":"$context.requestId"}`,
    // A batch answered 200 can still have failed its entry: SenderFault says whose fault it was.
    "#elseif($input.path('$.Failed[0].SenderFault') == false)",
    errorTemplate('the back office is unavailable', 502),
    '#else',
    errorTemplate('the broker could not hand the command to the back office', 500),
    '#end',
  ].join('\n');
  return new apigw.AwsIntegration({
    service: 'sqs',
    path: '/',
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: role,
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestParameters: {
        'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
        'integration.request.header.X-Amz-Target': "'AmazonSQS.SendMessageBatch'",
      },
      requestTemplates: { 'application/json': request },
      integrationResponses: [
        { statusCode: '202', responseTemplates: { 'application/json': accepted } },
        ...failureResponses('command'),
      ],
    },
  });
}

/**
 * Queries: `GetItem` when every key of the ledger is given, otherwise `Query` on the partition
 * key. The answer is the record's `view` attribute, the JSON the back office publishes for it;
 * nothing else of the record leaves the back office, and a record without a view is not published.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
function queryIntegration(
  system: ISystemOfRecord,
  role: iam.IRole,
  single: boolean,
): apigw.Integration {
  const { partitionKey, sortKey } = system.ledgerKeys;
  const param = (name: string) => jsonString(`$input.params('${name}')`);
  const tableName = system.ledgerTableReference ?? system.ledger.tableName;

  let request: string;
  let response: string;
  if (single) {
    const key = [partitionKey, ...(sortKey ? [sortKey] : [])]
      .map((k) => `"${k}":{"S":${param(k)}}`)
      .join(',');
    request = `{"TableName":"${tableName}","Key":{${key}},"ConsistentRead":true,"ProjectionExpression":"#v","ExpressionAttributeNames":{"#v":"view"}}`;
    response = [
      "#set($view = $input.path('$.Item.view.S'))",
      '#if("$!view" == "")',
      errorTemplate('no such record', 404),
      '#else',
      '$view',
      '#end',
    ].join('\n');
  } else {
    request =
      `{"TableName":"${tableName}","KeyConditionExpression":"#pk = :pk",` +
      `"ExpressionAttributeNames":{"#pk":"${partitionKey}","#v":"view"},` +
      `"ExpressionAttributeValues":{":pk":{"S":${param(partitionKey)}}},"ProjectionExpression":"#v","Limit":100}`;
    // Items without a view are skipped, and the separator is written only between items that
    // were: a comma per $foreach.hasNext would dangle after a skipped last item.
    response = [
      '#set($separator = "")',
      '{"items":[',
      "#foreach($item in $input.path('$.Items'))",
      '#if($item.view.S)$separator$item.view.S#set($separator = ",")#end',
      '#end',
      '],"more":#if($input.path(\'$.LastEvaluatedKey\'))true#{else}false#end,"requestId":"$context.requestId"}',
    ].join('\n');
  }
  return new apigw.AwsIntegration({
    service: 'dynamodb',
    action: single ? 'GetItem' : 'Query',
    options: {
      credentialsRole: role,
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': request },
      integrationResponses: [
        { statusCode: '200', responseTemplates: { 'application/json': response } },
        ...failureResponses('query'),
      ],
    },
  });
}

/** API Gateway quotas the API would exceed, named with the count. */
function quotaProblems(api: apigw.RestApi): string[] {
  const stack = Stack.of(api);
  const apiId = JSON.stringify(stack.resolve(api.restApiId));
  const ofThisApi = (n: IConstruct) =>
    (n instanceof apigw.CfnResource || n instanceof apigw.CfnAuthorizer) &&
    JSON.stringify(stack.resolve(n.restApiId)) === apiId;
  // Authorizers can be made anywhere in the stack; count what points at this API.
  const nodes = stack.node.findAll().filter(ofThisApi);
  const resources = nodes.filter((n) => n instanceof apigw.CfnResource).length;
  const authorizers = nodes.filter((n) => n instanceof apigw.CfnAuthorizer).length;
  const problems: string[] = [];
  if (resources > REST_API_QUOTAS.resources) {
    problems.push(
      `the broker API has ${resources} resources; the AWS quota "resources per REST API" allows ${REST_API_QUOTAS.resources}`,
    );
  }
  if (authorizers > REST_API_QUOTAS.authorizers) {
    problems.push(
      `the broker API has ${authorizers} authorizers; the AWS quota "authorizers per REST API" allows ${REST_API_QUOTAS.authorizers}`,
    );
  }
  return problems;
}

/** Every method of the API that lacks the Cognito authorizer or a scope (OPTIONS aside). */
function unguardedMethods(api: apigw.RestApi): string[] {
  const errors: string[] = [];
  const stack = Stack.of(api);
  for (const node of api.node.findAll()) {
    if (!(node instanceof apigw.CfnMethod)) continue;
    const method = stack.resolve(node.httpMethod);
    if (method === 'OPTIONS') continue;
    const type = stack.resolve(node.authorizationType);
    const scopes = stack.resolve(node.authorizationScopes) as unknown[] | undefined;
    if (type !== apigw.AuthorizationType.COGNITO || !scopes || scopes.length === 0) {
      errors.push(
        `broker method ${method} ${methodPath(node)} must use the Cognito authorizer with at least one scope (found authorization ${type ?? 'NONE'}, scopes ${JSON.stringify(scopes ?? [])})`,
      );
    }
  }
  return errors;
}

function methodPath(node: IConstruct): string {
  const method = node.node.scope;
  return method instanceof apigw.Method ? method.resource.path : node.node.path;
}
