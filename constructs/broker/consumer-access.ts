import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import type { Broker } from './broker';
import { clientName, Consumer } from './consumer';
import { ConsumerCredentials, ConsumerCredentialsOptions } from './credentials';

/** A consumer and where its credentials go, as `Broker.addConsumer` and `ConsumerAccess` take it. */
export interface ConsumerAccessOptions {
  /** The consumer: a product or a partner, its scopes and its throttle. */
  readonly consumer: Consumer;
  /**
   * Where its credentials are delivered and who may read them.
   * @default - a secret named `<broker.credentialsSecretNamePrefix><clientName>`, readable by
   * whoever IAM allows
   */
  readonly credentials?: Partial<ConsumerCredentialsOptions>;
}

export interface ConsumerAccessProps extends ConsumerAccessOptions {
  /** The broker the consumer calls. */
  readonly broker: Broker;
}

/**
 * What one consumer needs to call the broker, in any stack of the broker's account and region
 * (the broker's own, or a stack per consumer, so that the broker's stack stays the same size
 * whatever the number of consumers):
 * - an app client in the broker's user pool with the client-credentials flow and only the
 *   consumer's scopes;
 * - its credentials in a Secrets Manager secret (client id and secret taken by reference, a
 *   generated API key), encrypted with the broker's credentials key, rotated by the broker's
 *   function, readable only by `credentials.admittedPrincipalArns` when given;
 * - an API key with the secret's value in the broker's usage plan for the consumer's throttle.
 *
 * Default settings: access tokens as the broker's identity says (60 minutes); token revocation on;
 * no user-facing auth flows (refresh-token auth cannot be switched off); the broker's default
 * consumer throttle; secret rotation every 30 days.
 */
export class ConsumerAccess extends Construct {
  /** The app client's name, `clientName(consumer)`. */
  readonly clientName: string;
  /** The consumer's app client. */
  readonly client: cognito.IUserPoolClient;
  /** The delivered credentials. */
  readonly credentials: ConsumerCredentials;
  /** The consumer's API key, in its usage plan. */
  readonly apiKey: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: ConsumerAccessProps) {
    super(scope, id);
    const { broker, consumer } = props;
    this.clientName = clientName(consumer);
    if (consumer.scopes.length === 0)
      throw new Error(
        `${this.node.path}: consumer ${this.clientName} has no scopes (received: []): an app client without scopes can call nothing`,
      );
    const secretName =
      props.credentials?.secretName ?? `${broker.credentialsSecretNamePrefix}${this.clientName}`;
    const checks = new PropChecks(this);
    if (
      !Token.isUnresolved(secretName) &&
      !secretName.startsWith(broker.credentialsSecretNamePrefix)
    )
      checks.add(
        'credentials.secretName',
        `must start with the broker's credentialsSecretNamePrefix ${broker.credentialsSecretNamePrefix}, the secrets its rotation function may manage`,
        JSON.stringify(secretName),
      );
    checks.checkThrottle('consumer.throttle', consumer.throttle).throwIfAny();
    const identity = broker.identity;
    const client = new cognito.UserPoolClient(this, 'Client', {
      userPool: identity.userPool,
      userPoolClientName: this.clientName,
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: consumer.scopes.map((s) =>
          identity.oauthScope(s, `${this.node.path} (${this.clientName})`),
        ),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: identity.accessTokenValidity,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    // Without ExplicitAuthFlows Cognito enables SRP and custom auth for people; a machine client
    // needs none of them (refresh-token auth cannot be switched off).
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = [
      'ALLOW_REFRESH_TOKEN_AUTH',
    ];
    for (const s of new Set(consumer.scopes))
      client.node.addDependency(identity.resourceServerOf(s));
    this.client = client;

    const admitted = props.credentials?.admittedPrincipalArns;
    this.credentials = new ConsumerCredentials(this, 'Credentials', {
      client,
      secretName,
      encryptionKey: broker.credentialsKey,
      // The rotation function reads and writes the secret; it passes the deny too.
      admittedPrincipalArns: admitted ? [...admitted, broker.rotation.role.roleArn] : undefined,
      deploymentRoleArn: broker.deploymentRoleArn,
      tokenUrl: identity.tokenUrl,
      apiUrl: broker.api.url,
    });
    broker.rotation.rotate(this.credentials.secret);
    this.apiKey = this.credentials.addApiKey(
      this.clientName,
      broker.usagePlanFor(consumer.throttle),
    );
    broker.registerConsumer(this);
  }
}
