import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { allowCloudWatchLogs } from '../shared/key-policies';
import type { Throttle } from '../shared/throttle';
import { BrokerApi, BrokerRoute, BrokerTarget } from './api';
import { clientName } from './consumer';
import { ConsumerAccess, ConsumerAccessOptions } from './consumer-access';
import { ClientSecretRotation } from './secret-rotation';
import { BrokerIdentity } from './identity';
import { RegionalWebAcl } from './web-acl';
import { PropChecks } from '../shared/check-props';
import { throttleProblems } from '../shared/prop-rules';
import {
  accessTokenValidityProblem,
  domainPrefixProblem,
  maxBodyBytesProblem,
  secretNamePrefixProblem,
  wafRateLimitProblem,
} from './broker-rules';
import { BROKER_DEFAULTS } from './defaults';

export interface BrokerProps {
  /**
   * The Cognito domain prefix of the OAuth endpoints: lower-case letters, digits and hyphens, at
   * most 63, unique in the Region.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
   */
  readonly domainPrefix: string;
  /** The routes, one per capability operation. */
  readonly routes: readonly BrokerRoute[];
  /** The back-office capabilities the routes lead to, by capability name. */
  readonly targets: Readonly<Record<string, BrokerTarget>>;
  /**
   * Consumers placed in the broker's own scope (its stack), one `ConsumerAccess` each. An
   * enterprise with many consumers places them in stacks of their own with `ConsumerAccess`
   * instead, so the broker's stack keeps its size.
   * @default - none
   */
  readonly consumers?: readonly ConsumerAccessOptions[];
  /**
   * The name prefix of every consumer's credentials secret; the rotation function may manage
   * the secrets named so, and only those.
   * @default 'office-zones/broker/clients/'
   */
  readonly credentialsSecretNamePrefix?: string;
  /**
   * Prefix of the user pool and API names.
   * @default - CloudFormation-generated names
   */
  readonly namePrefix?: string;
  /**
   * How long a client-credentials access token lives. Range: 5 minutes to 1 day.
   * @default Duration.minutes(60)
   */
  readonly accessTokenValidity?: Duration;
  /**
   * The API stage's throttle, for all callers together.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: Throttle;
  /**
   * Requests from one IP address in 5 minutes before WAF blocks it. Range: 10 to 2,000,000,000.
   * @default 1000
   */
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
  readonly defaultConsumerThrottle?: Throttle;
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
  /** The broker's key: its log groups. */
  readonly key: kms.IKey;
  /** The enterprise identity: the user pool, its domain and resource servers. */
  readonly identity: BrokerIdentity;
  /** The REST API, the only door into the back office. */
  readonly api: BrokerApi;
  /** The WAF web ACL in front of the API's stage. */
  readonly webAcl: RegionalWebAcl;
  /** Encrypts delivered credentials; a product's runtime decrypts its own through Secrets Manager. */
  readonly credentialsKey: kms.IKey;
  /** The name prefix of every consumer's credentials secret. */
  readonly credentialsSecretNamePrefix: string;
  /** The role that deploys consumers' credentials, admitted by their secrets' deny. */
  readonly deploymentRoleArn?: string;
  /** The throttle of a consumer that declares none. */
  readonly defaultConsumerThrottle: Throttle;
  /** The usage plan of consumers without a throttle of their own, and of partners onboarded at run time. */
  readonly defaultUsagePlan: apigw.IUsagePlan;
  /** Rotates every delivered client secret. */
  readonly rotation: ClientSecretRotation;
  private readonly plans = new Map<string, apigw.UsagePlan>();
  private readonly usagePlanScope: Construct;
  private readonly consumerAccess = new Map<string, ConsumerAccess>();
  private readonly namePrefix?: string;

  constructor(scope: Construct, id: string, props: BrokerProps) {
    super(scope, id);
    const checks = new PropChecks(this)
      .check('domainPrefix', props.domainPrefix, domainPrefixProblem)
      .check('wafRateLimitPerIp', props.wafRateLimitPerIp, wafRateLimitProblem)
      .check('maxBodyBytes', props.maxBodyBytes, maxBodyBytesProblem)
      .check(
        'credentialsSecretNamePrefix',
        props.credentialsSecretNamePrefix,
        secretNamePrefixProblem,
      );
    if (props.accessTokenValidity && !props.accessTokenValidity.isUnresolved()) {
      const minutes = props.accessTokenValidity.toMilliseconds() / 60_000;
      const problem = accessTokenValidityProblem(minutes);
      if (problem)
        checks.add('accessTokenValidity', problem, props.accessTokenValidity.toHumanString());
    }
    checks
      .checkThrottle('throttle', props.throttle)
      .checkThrottle('defaultConsumerThrottle', props.defaultConsumerThrottle)
      .throwIfAny();

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
    });

    this.api = new BrokerApi(this, 'Api', {
      userPool: this.identity.userPool,
      routes: props.routes,
      targets: props.targets,
      encryptionKey: key,
      restApiName: props.namePrefix ? `${props.namePrefix}-broker` : undefined,
      throttle: props.throttle,
      apiKeyRequired: true,
    });

    this.credentialsKey = new kms.Key(this, 'CredentialsKey', {
      description: 'Office Zones broker: delivered consumer credentials',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.credentialsSecretNamePrefix =
      props.credentialsSecretNamePrefix ?? BROKER_DEFAULTS.consumers.credentialsSecretNamePrefix;
    this.deploymentRoleArn = props.deploymentRoleArn;
    this.namePrefix = props.namePrefix;
    this.rotation = new ClientSecretRotation(this, 'SecretRotation', {
      userPool: this.identity.userPool,
      secretEncryptionKey: this.credentialsKey,
      secretNamePrefix: this.credentialsSecretNamePrefix,
      logEncryptionKey: key,
    });
    this.defaultConsumerThrottle =
      props.defaultConsumerThrottle ?? BROKER_DEFAULTS.api.consumerThrottle;
    // Ids are a contract: a plan is named by its throttle, never by the order plans were made in,
    // so adding a consumer never moves another consumer's key to another plan.
    this.usagePlanScope = new Construct(this, 'UsagePlans');
    // The default plan always exists: partners onboarded at run time join it.
    this.defaultUsagePlan = this.usagePlanFor(this.defaultConsumerThrottle);
    for (const options of props.consumers ?? []) this.addConsumer(options);

    this.webAcl = new RegionalWebAcl(this, 'WebAcl', {
      resourceArns: [this.api.stage.stageArn],
      rateLimitPerIp: props.wafRateLimitPerIp,
      maxBodyBytes: props.maxBodyBytes,
      metricPrefix: 'Broker',
    });
  }

  /** The usage plans, one per distinct throttle, in the order they were made. */
  get usagePlans(): readonly apigw.IUsagePlan[] {
    return [...this.plans.values()];
  }

  /** Every consumer's access, wherever it was placed, by client name. */
  get consumers(): ReadonlyMap<string, ConsumerAccess> {
    return this.consumerAccess;
  }

  /**
   * The usage plan of a throttle, made in the broker on first use: consumers with the same
   * throttle share a plan (API Gateway allows 300 usage plans per account and region).
   * @param throttle - the consumer's throttle; the broker's default consumer throttle when undefined
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
   */
  usagePlanFor(throttle: Throttle = this.defaultConsumerThrottle): apigw.IUsagePlan {
    const problems = throttleProblems(throttle);
    if (problems.length > 0)
      throw new Error(
        problems
          .map(
            ({ field, problem }) =>
              `${this.node.path}: a consumer throttle's ${field} ${problem} (received: ${throttle[field]})`,
          )
          .join('\n'),
      );
    const planKey = `Rate${String(throttle.rateLimit).replace('.', 'p')}Burst${throttle.burstLimit}`;
    let plan = this.plans.get(planKey);
    if (!plan) {
      plan = new apigw.UsagePlan(this.usagePlanScope, planKey, {
        name: this.namePrefix ? `${this.namePrefix}-broker-${throttle.rateLimit}rps` : undefined,
        description: `Consumers throttled at ${throttle.rateLimit} requests/s, burst ${throttle.burstLimit}`,
        throttle,
        apiStages: [{ api: this.api.restApi, stage: this.api.stage }],
      });
      this.plans.set(planKey, plan);
    }
    return plan;
  }

  /** Places a consumer's access in the broker's own scope (see `ConsumerAccess`). */
  addConsumer(options: ConsumerAccessOptions): ConsumerAccess {
    return new ConsumerAccess(this, pascal(clientName(options.consumer)), {
      ...options,
      broker: this,
    });
  }

  /**
   * Records a consumer's access; `ConsumerAccess` calls it.
   * @throws Error when a consumer of that client name is already recorded.
   */
  registerConsumer(access: ConsumerAccess): void {
    if (this.consumerAccess.has(access.clientName))
      throw new Error(
        `${access.node.path}: the broker ${this.node.path} already has a consumer named ${access.clientName}`,
      );
    this.consumerAccess.set(access.clientName, access);
  }
}
