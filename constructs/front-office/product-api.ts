import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';
import type { BrokerRoute } from './handlers/broker-api';

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
  readonly routes: readonly BrokerRoute[];
  readonly broker: BrokerConnection;
  /**
   * The physical name of the function's role. The broker's secret admits exactly this role.
   * @default - a CloudFormation-generated name (the function then cannot read the secret)
   */
  readonly runtimeRoleName?: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /**
   * A JWT authorizer on every route.
   * @default - none: the routes serve anonymous visitors
   */
  readonly authorizer?: { readonly issuer: string; readonly audiences: readonly string[] };
  /**
   * Origins browsers may call the API from (CORS), e.g. the product's CloudFront domain.
   * @default - no CORS
   */
  readonly allowedOrigins?: readonly string[];
  /** @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default logs.RetentionDays.ONE_YEAR */
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
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly handler: NodeFunction;
  readonly runtimeRole: iam.IRole;

  constructor(scope: Construct, id: string, props: ProductApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

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

    const timeout = props.timeout ?? Duration.seconds(10);
    this.handler = new NodeFunction(this, 'Handler', {
      entry: path.join(__dirname, 'handlers', 'broker-api.ts'),
      description: 'Serves the product API by calling the broker',
      memorySize: props.memorySize,
      timeout,
      role,
      logRetention: props.logRetention,
      environment: {
        BROKER_API_URL: props.broker.apiUrl,
        BROKER_TOKEN_URL: props.broker.tokenUrl,
        BROKER_CREDENTIALS_SECRET_ARN: props.broker.credentialsSecretArn,
        BROKER_SCOPES: props.broker.scopes.join(' '),
        BROKER_ROUTES: JSON.stringify(props.routes),
        // A token request, a call and one retry after a stale token must fit in the timeout.
        BROKER_TIMEOUT_MS: String(Math.max(1000, Math.floor(timeout.toMilliseconds() / 4))),
      },
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
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
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = this.httpApi.addStage('DefaultStage', {
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
      this.httpApi.addRoutes({
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
