import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BrokerApi, BrokerRoute, BrokerTarget } from './api';
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
}

/**
 * The identity and API broker: IT's only door between the front office and the back office.
 * An enterprise identity (Cognito), a REST API that authenticates, authorises by scope,
 * validates, throttles and logs every call, and a WAF in front of it.
 *
 * Default settings: see `BrokerIdentity`, `BrokerApi` and `RegionalWebAcl`; plus one
 * customer-managed key (rotation on, retained) for the broker's logs.
 */
export class Broker extends Construct {
  readonly key: kms.IKey;
  readonly identity: BrokerIdentity;
  readonly api: BrokerApi;
  readonly webAcl: RegionalWebAcl;

  constructor(scope: Construct, id: string, props: BrokerProps) {
    super(scope, id);

    const key = new kms.Key(this, 'Key', {
      description: 'Office Zones broker key (logs, delivered credentials)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the broker's log groups, and only log groups of this account and region.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
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
    });

    this.webAcl = new RegionalWebAcl(this, 'WebAcl', {
      resourceArns: [this.api.stage.stageArn],
      rateLimitPerIp: props.wafRateLimitPerIp,
      metricPrefix: 'Broker',
    });
  }
}
