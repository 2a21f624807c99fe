import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { allowCloudWatchLogs } from '../shared/key-policies';
import { BrokerApi, BrokerRoute, BrokerTarget } from './api';
import { ConsumerCredentials } from './credentials';
import { ClientSecretRotation } from './secret-rotation';
import { BrokerConsumer, BrokerIdentity } from './identity';
import { RegionalWebAcl } from './web-acl';

export interface BrokerProps {
  /** The Cognito domain prefix of the OAuth endpoints. */
  readonly domainPrefix: string;
  /** The routes, one per capability operation. */
  readonly routes: readonly BrokerRoute[];
  /** The back-office capabilities the routes lead to, by capability name. */
  readonly targets: Readonly<Record<string, BrokerTarget>>;
  /** The consumers (products and declared partners), one app client each. */
  readonly consumers: readonly BrokerConsumer[];
  /**
   * Prefix of the user pool and API names.
   * @default - CloudFormation-generated names
   */
  readonly namePrefix?: string;
  /** @default Duration.minutes(60) */
  readonly accessTokenValidity?: Duration;
  /** @default { rateLimit: 100, burstLimit: 200 } */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default 1000 */
  readonly wafRateLimitPerIp?: number;
  /**
   * The largest request body, in bytes, the broker's WAF lets through (see
   * `RegionalWebAclProps.maxBodyBytes`). Range: 1 to 65,536.
   * @default 16384
   */
  readonly maxBodyBytes?: number;
  /**
   * The throttle of a consumer that declares none of its own.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly defaultConsumerThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The role that deploys the broker stack, admitted by the delivered credentials for what
   * CloudFormation does with them (resolving each API key's value).
   * @default - the CDK bootstrap's CloudFormation execution role with the default qualifier
   */
  readonly deploymentRoleArn?: string;
}

/**
 * The identity and API broker: IT's only door between the front office and the back office.
 * An enterprise identity (Cognito), a REST API that authenticates, authorises by scope,
 * validates, throttles and logs every call, and a WAF in front of it.
 *
 * Default settings: see `BrokerIdentity`, `BrokerApi`, `RegionalWebAcl`, `ConsumerCredentials`
 * and `ClientSecretRotation`; plus customer-managed keys (rotation on, retained) for the broker's
 * logs and for delivered credentials; every route needs the caller's API key too, which ties it to
 * its usage plan (its own throttle).
 */
export class Broker extends Construct {
  readonly key: kms.IKey;
  readonly identity: BrokerIdentity;
  readonly api: BrokerApi;
  readonly webAcl: RegionalWebAcl;
  /** Encrypts delivered credentials; a product's runtime decrypts its own through Secrets Manager. */
  readonly credentialsKey: kms.IKey;
  /** Delivered credentials, by client name. */
  readonly credentials = new Map<string, ConsumerCredentials>();
  /** Usage plans, one per distinct throttle. */
  readonly usagePlans: apigw.UsagePlan[] = [];
  /** The usage plan of consumers without a throttle of their own, and of partners onboarded at run time. */
  readonly defaultUsagePlan: apigw.UsagePlan;
  /** Rotates every delivered client secret. */
  readonly rotation: ClientSecretRotation;

  constructor(scope: Construct, id: string, props: BrokerProps) {
    super(scope, id);

    const key = new kms.Key(this, 'Key', {
      description: 'Office Zones broker key (logs, delivered credentials)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    allowCloudWatchLogs(key);
    this.key = key;

    const scopesByCapability = new Map<string, Set<string>>();
    for (const route of props.routes) {
      const [identifier, scopeName] = route.scope.split('/');
      if (!scopesByCapability.has(identifier)) scopesByCapability.set(identifier, new Set());
      scopesByCapability.get(identifier)!.add(scopeName);
    }

    this.identity = new BrokerIdentity(this, 'Identity', {
      domainPrefix: props.domainPrefix,
      userPoolName: props.namePrefix ? `${props.namePrefix}-broker` : undefined,
      accessTokenValidity: props.accessTokenValidity,
      resourceServers: [...scopesByCapability].map(([identifier, scopes]) => ({
        identifier,
        scopes: [...scopes].sort(),
      })),
      consumers: props.consumers,
    });

    this.api = new BrokerApi(this, 'Api', {
      userPool: this.identity.userPool,
      routes: props.routes,
      targets: props.targets,
      logKey: key,
      restApiName: props.namePrefix ? `${props.namePrefix}-broker` : undefined,
      throttle: props.throttle,
      apiKeyRequired: true,
    });

    this.credentialsKey = new kms.Key(this, 'CredentialsKey', {
      description: 'Office Zones broker: delivered consumer credentials',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.rotation = new ClientSecretRotation(this, 'SecretRotation', {
      userPool: this.identity.userPool,
      key: this.credentialsKey,
      logKey: key,
    });
    const defaultThrottle = props.defaultConsumerThrottle ?? { rateLimit: 50, burstLimit: 100 };
    const plans = new Map<string, apigw.UsagePlan>();
    // Ids are a contract: a plan is named by its throttle, never by the order plans were made in,
    // so adding a consumer never moves another consumer's key to another plan.
    const usagePlans = new Construct(this, 'UsagePlans');
    const planFor = (throttle: { rateLimit: number; burstLimit: number }) => {
      // Consumers with the same throttle share a usage plan (300 plans per account and region).
      const planKey = `Rate${String(throttle.rateLimit).replace('.', 'p')}Burst${throttle.burstLimit}`;
      let plan = plans.get(planKey);
      if (!plan) {
        plan = new apigw.UsagePlan(usagePlans, planKey, {
          name: props.namePrefix
            ? `${props.namePrefix}-broker-${throttle.rateLimit}rps`
            : undefined,
          description: `Consumers throttled at ${throttle.rateLimit} requests/s, burst ${throttle.burstLimit}`,
          throttle,
          apiStages: [{ api: this.api.restApi, stage: this.api.stage }],
        });
        plans.set(planKey, plan);
        this.usagePlans.push(plan);
      }
      return plan;
    };
    // The default plan always exists: partners onboarded at run time join it.
    this.defaultUsagePlan = planFor(defaultThrottle);
    for (const consumer of props.consumers) {
      const id = pascal(consumer.clientName);
      const client = this.identity.clients.get(consumer.clientName)!;
      const credentials = new ConsumerCredentials(this, `${id}Credentials`, {
        client,
        secretName:
          consumer.credentials?.secretName ?? `office-zones/broker/clients/${consumer.clientName}`,
        key: this.credentialsKey,
        readerRoleArn: consumer.credentials?.readerRoleArn,
        alsoReadBy: [this.rotation.role.roleArn],
        deploymentRoleArn: props.deploymentRoleArn,
        tokenUrl: this.identity.tokenUrl,
        apiUrl: this.api.url,
      });
      this.credentials.set(consumer.clientName, credentials);
      this.rotation.rotate(credentials.secret);
      credentials.addApiKey(consumer.clientName, planFor(consumer.throttle ?? defaultThrottle));
    }

    this.webAcl = new RegionalWebAcl(this, 'WebAcl', {
      resourceArns: [this.api.stage.stageArn],
      rateLimitPerIp: props.wafRateLimitPerIp,
      maxBodyBytes: props.maxBodyBytes,
      metricPrefix: 'Broker',
    });
  }
}
