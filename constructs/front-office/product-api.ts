import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import { NodeFunction } from '../shared/node-function';
import {
  integrationTimeoutProblem,
  memorySizeProblem,
  roleNameProblem,
} from '../shared/prop-rules';
import type { Throttle } from '../shared/throttle';
import { FRONT_OFFICE_DEFAULTS } from './defaults';
import { productRouteProblem, type ProductRoute } from './product-route';

const DEFAULTS = FRONT_OFFICE_DEFAULTS.productApi;

/** A JWT authorizer: the token issuer and the audiences it accepts. */
export interface JwtAuthorizerOptions {
  /**
   * The token issuer, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123`.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
   */
  readonly issuer: string;
  /** Accepted audiences (Cognito: app client ids); at least one. */
  readonly audiences: readonly string[];
}

/** Where a product finds the broker and its own credentials; deploy-time values (tokens) are fine. */
export interface BrokerConnection {
  /** The broker API's stage URL. */
  readonly apiUrl: string;
  /** The broker's OAuth token endpoint. */
  readonly tokenUrl: string;
  /** ARN of the Secrets Manager secret with the product's client id and secret. */
  readonly credentialsSecretArn: string;
  /** ARN of the KMS key that encrypts that secret. */
  readonly credentialsKeyArn: string;
  /** The scopes the product asks for, e.g. `['orders/write']`. */
  readonly scopes: readonly string[];
}

export interface ProductApiProps {
  /** The routes to serve, one per broker operation the product consumes. */
  readonly routes: readonly ProductRoute[];
  /** Where the broker and the product's credentials are. */
  readonly broker: BrokerConnection;
  /**
   * The physical name of the function's role. The broker's secret admits exactly this role.
   * @default - a CloudFormation-generated name (the function then cannot read the secret)
   */
  readonly runtimeRoleName?: string;
  /**
   * The function's memory, in MiB. Range: 128 to 10,240.
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /**
   * How long the function may run per request. Range: 1 to 29 seconds, whole seconds: API Gateway
   * ends the request after that anyway.
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
   */
  readonly timeout?: Duration;
  /**
   * A JWT authorizer on every route.
   * @default - none: the routes serve anonymous visitors
   */
  readonly authorizer?: JwtAuthorizerOptions;
  /**
   * Origins browsers may call the API from (CORS), e.g. the product's CloudFront domain.
   * @default - no CORS
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * The `$default` stage's throttle, for all callers together.
   * @default { rateLimit: 50, burstLimit: 100 }
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
   */
  readonly throttle?: Throttle;
  /**
   * How long the function's logs and the API's access logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A product's API: an HTTP API whose routes a Lambda function serves by calling the broker with
 * the product's own credentials (see `handlers/broker-api.ts`).
 *
 * Default settings:
 * - runtime role: assumed only by Lambda in this account; may read exactly the product's broker
 *   secret and decrypt it only through Secrets Manager, and write its own logs;
 * - function: `NodeFunction` (newest Node.js runtime, arm64, JSON logs, X-Ray), no VPC;
 * - HTTP API: one `$default` stage, auto-deployed, throttled (50 requests/s, bursts of 100), JSON
 *   access logs kept one year; only the declared routes, so anything else is a 404 from API Gateway.
 */
export class ProductApi extends Construct {
  /** The HTTP API. */
  readonly httpApi: apigwv2.IHttpApi;
  /** Its `$default` stage. */
  readonly stage: apigwv2.IHttpStage;
  /** The function that serves every route. */
  readonly handler: lambda.IFunction;
  /** The role the function runs as: the only reader of the product's broker credentials. */
  readonly runtimeRole: iam.IRole;

  constructor(scope: Construct, id: string, props: ProductApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const throttle = props.throttle ?? DEFAULTS.throttle;
    const checks = new PropChecks(this)
      .check('memorySize', props.memorySize, memorySizeProblem)
      .checkSeconds('timeout', props.timeout, integrationTimeoutProblem)
      .check('runtimeRoleName', props.runtimeRoleName, roleNameProblem);
    checks.checkThrottle('throttle', throttle);
    props.routes.forEach((route, i) =>
      checks.check(`routes[${i}].route`, route.route, productRouteProblem),
    );
    checks.throwIfAny();

    const role = new iam.Role(this, 'RuntimeRole', {
      roleName: props.runtimeRoleName,
      // No condition: Lambda is not documented to send a key to condition on (policies/trust).
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Runs the product's API; the only reader of its broker credentials",
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.broker.credentialsSecretArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.broker.credentialsKeyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
        },
      }),
    );
    this.runtimeRole = role;

    const timeout = props.timeout ?? Duration.seconds(DEFAULTS.timeoutSeconds);
    const logRetention = props.logRetention ?? (DEFAULTS.logRetentionDays as logs.RetentionDays);
    this.handler = new NodeFunction(this, 'Handler', {
      entry: path.join(__dirname, 'handlers', 'broker-api.ts'),
      description: 'Serves the product API by calling the broker',
      memorySize: props.memorySize ?? DEFAULTS.memorySize,
      timeout,
      role,
      logRetention,
      environment: {
        BROKER_API_URL: props.broker.apiUrl,
        BROKER_TOKEN_URL: props.broker.tokenUrl,
        BROKER_CREDENTIALS_SECRET_ARN: props.broker.credentialsSecretArn,
        BROKER_SCOPES: props.broker.scopes.join(' '),
        BROKER_ROUTES: JSON.stringify(props.routes),
        // A token request, a call and one retry after a stale token must fit in the timeout.
        BROKER_TIMEOUT_MS: String(Math.max(1000, Math.floor(timeout.toMilliseconds() / 4))),
      },
    }).function;

    const httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'A front-office product API',
      createDefaultStage: false,
      corsPreflight: props.allowedOrigins?.length
        ? {
            allowOrigins: [...props.allowedOrigins],
            allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
            allowHeaders: ['content-type', 'authorization'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.httpApi = httpApi;
    this.stage = httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new integrations.HttpLambdaIntegration('Broker', this.handler);
    const authorizer = props.authorizer
      ? new authorizers.HttpJwtAuthorizer('Jwt', props.authorizer.issuer, {
          jwtAudience: [...props.authorizer.audiences],
        })
      : undefined;
    for (const route of props.routes) {
      const [method, routePath] = route.route.split(' ');
      httpApi.addRoutes({
        path: routePath,
        methods: [method as apigwv2.HttpMethod],
        integration,
        authorizer,
      });
    }
  }

  /** The API's base URL. */
  get url(): string {
    return this.stage.url;
  }
}
