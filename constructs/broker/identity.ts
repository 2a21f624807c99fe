import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { BROKER_DEFAULTS } from './defaults';

/** A resource server: one per back-office capability, its identifier the capability's name. */
export interface BrokerResourceServer {
  /** The identifier, e.g. `orders`; scopes become `orders/write`. */
  readonly identifier: string;
  /** Scope names within it, e.g. `['read', 'write']`. */
  readonly scopes: readonly string[];
  /**
   * The resource server's name in Cognito.
   * @default - the identifier
   */
  readonly description?: string;
}

export interface BrokerIdentityProps {
  /** The Cognito domain prefix of the OAuth endpoints. */
  readonly domainPrefix: string;
  /** The resource servers, one per back-office capability. */
  readonly resourceServers: readonly BrokerResourceServer[];
  /**
   * Name of the user pool.
   * @default - a CloudFormation-generated name
   */
  readonly userPoolName?: string;
  /**
   * How long a client-credentials access token lives. Range: 5 minutes to 1 day.
   * @default Duration.minutes(60)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
   */
  readonly accessTokenValidity?: Duration;
}

/**
 * The enterprise identity the broker trusts: one Cognito user pool for products, partners and
 * customers, and a resource server per back-office capability. Each consumer's app client is made
 * by its `ConsumerAccess`, in whatever stack holds it.
 *
 * Default settings:
 * - no self sign-up; sign-in by email; MFA required for people (TOTP), 14-character passwords
 *   with all character classes, 24 remembered;
 * - Plus feature plan with threat protection in full-function mode;
 * - deletion protection and `RemovalPolicy.RETAIN`;
 * - access tokens valid for 60 minutes.
 */
export class BrokerIdentity extends Construct {
  /** The user pool: one for products, partners and customers. */
  readonly userPool: cognito.IUserPool;
  /** The OAuth domain (`<domainPrefix>.auth.<region>.amazoncognito.com`). */
  readonly domain: cognito.UserPoolDomain;
  /** How long a client-credentials access token lives. */
  readonly accessTokenValidity: Duration;
  private readonly scopes = new Map<string, cognito.UserPoolResourceServer>();

  constructor(scope: Construct, id: string, props: BrokerIdentityProps) {
    super(scope, id);
    this.accessTokenValidity =
      props.accessTokenValidity ??
      Duration.minutes(BROKER_DEFAULTS.identity.accessTokenValidityMinutes);

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
      for (const s of scopes)
        this.scopes.set(`${server.identifier}/${s.scopeName}`, resourceServer);
    }
  }

  /** Every full scope the resource servers offer, e.g. `orders/write`. */
  get offeredScopes(): readonly string[] {
    return [...this.scopes.keys()];
  }

  /**
   * An offered scope, by its full name, for an app client in any stack: the name itself
   * (`OAuthScope.custom`), not a reference to the resource server, so a client in another stack
   * adds no export to this one. The client's stack must deploy after this one (a reference to the
   * user pool orders them).
   * @throws Error when no resource server offers the scope.
   */
  oauthScope(fullName: string, requestedBy: string): cognito.OAuthScope {
    if (!this.scopes.has(fullName))
      throw new Error(
        `${requestedBy} asks for scope ${fullName}, which no resource server offers (offered: ${this.offeredScopes.join(', ') || 'none'})`,
      );
    return cognito.OAuthScope.custom(fullName);
  }

  /**
   * The resource server that offers a scope: an app client asking for the scope depends on it,
   * since Cognito refuses a client whose scope does not exist yet.
   * @throws Error when no resource server offers the scope.
   */
  resourceServerOf(fullName: string): cognito.IUserPoolResourceServer {
    const server = this.scopes.get(fullName);
    if (!server) throw new Error(`no resource server of ${this.node.path} offers ${fullName}`);
    return server;
  }

  /** The OAuth token endpoint of the domain. */
  get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}
