import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pascal } from '../naming';

/** A resource server: one per back-office capability, its identifier the capability's name. */
export interface BrokerResourceServer {
  /** The identifier, e.g. `orders`; scopes become `orders/write`. */
  readonly identifier: string;
  /** Scope names within it, e.g. `['read', 'write']`. */
  readonly scopes: readonly string[];
  /** @default - the identifier */
  readonly description?: string;
}

/** A caller of the broker with its own app client (a product or a partner). */
export interface BrokerConsumer {
  /** The app client name, e.g. `product.web-shop`. */
  readonly clientName: string;
  /** The full scopes it may request, e.g. `['orders/write']`. */
  readonly scopes: readonly string[];
  /**
   * Its own throttle on the broker API (through a usage plan and its API key).
   * @default - the broker's default consumer throttle
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Where its credentials are delivered: a Secrets Manager secret of this name and, for a product,
   * the one runtime role that may read it.
   * @default - no secret: the consumer gets its credentials some other way
   */
  readonly credentials?: { readonly secretName: string; readonly readerRoleArn?: string };
}

export interface BrokerIdentityProps {
  /** The Cognito domain prefix of the OAuth endpoints. */
  readonly domainPrefix: string;
  readonly resourceServers: readonly BrokerResourceServer[];
  readonly consumers: readonly BrokerConsumer[];
  /**
   * Name of the user pool.
   * @default - a CloudFormation-generated name
   */
  readonly userPoolName?: string;
  /**
   * How long a client-credentials access token lives.
   * @default Duration.minutes(60)
   */
  readonly accessTokenValidity?: Duration;
}

/**
 * The enterprise identity the broker trusts: one Cognito user pool for products, partners and
 * customers, a resource server per back-office capability and one app client per consumer.
 *
 * Default settings:
 * - no self sign-up; sign-in by email; MFA required for people (TOTP), 14-character passwords
 *   with all character classes, 24 remembered;
 * - Plus feature plan with threat protection in full-function mode;
 * - deletion protection and `RemovalPolicy.RETAIN`;
 * - app clients: client-credentials flow only, a generated secret, only the consumer's scopes,
 *   token revocation, no user-facing auth flows.
 */
export class BrokerIdentity extends Construct {
  readonly userPool: cognito.IUserPool;
  readonly domain: cognito.UserPoolDomain;
  /** The app clients, by client name. */
  readonly clients = new Map<string, cognito.UserPoolClient>();
  private readonly scopes = new Map<string, cognito.OAuthScope>();

  constructor(scope: Construct, id: string, props: BrokerIdentityProps) {
    super(scope, id);

    const userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 24,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = userPool;

    this.domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });

    for (const server of props.resourceServers) {
      const scopes = server.scopes.map(
        (scopeName) =>
          new cognito.ResourceServerScope({
            scopeName,
            scopeDescription: `${scopeName} ${server.identifier}`,
          }),
      );
      const resourceServer = userPool.addResourceServer(
        `${pascal(server.identifier)}ResourceServer`,
        {
          identifier: server.identifier,
          userPoolResourceServerName: server.description ?? server.identifier,
          scopes,
        },
      );
      for (const s of scopes) {
        this.scopes.set(
          `${server.identifier}/${s.scopeName}`,
          cognito.OAuthScope.resourceServer(resourceServer, s),
        );
      }
    }

    for (const consumer of props.consumers) this.addConsumer(consumer, props.accessTokenValidity);
  }

  /** Adds an app client for a consumer, with the client-credentials flow and only its scopes. */
  addConsumer(
    consumer: BrokerConsumer,
    accessTokenValidity = Duration.minutes(60),
  ): cognito.UserPoolClient {
    const scopes = consumer.scopes.map((s) => {
      const oauthScope = this.scopes.get(s);
      if (!oauthScope) {
        throw new Error(
          `app client ${consumer.clientName} asks for scope ${s}, which no resource server offers`,
        );
      }
      return oauthScope;
    });
    const client = this.userPool.addClient(`${pascal(consumer.clientName)}Client`, {
      userPoolClientName: consumer.clientName,
      generateSecret: true,
      oAuth: { flows: { clientCredentials: true }, scopes },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    // Without ExplicitAuthFlows Cognito enables SRP and custom auth for people; a machine client
    // needs none of them (refresh-token auth cannot be switched off).
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = [
      'ALLOW_REFRESH_TOKEN_AUTH',
    ];
    this.clients.set(consumer.clientName, client);
    return client;
  }

  /** The OAuth token endpoint of the domain. */
  get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}
