import { Lazy, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cloudFormationExecutionRoleArn } from '../shared/deployment-role';

/** Where a consumer's credentials are delivered and who may read them. */
export interface ConsumerCredentialsOptions {
  /**
   * The secret's name, e.g. `office-zones/OfficeZones/dev/broker/clients/product.web-shop`.
   * Secrets Manager: 1 to 512 characters of `A-Za-z0-9/_+=.@-`.
   * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
   */
  readonly secretName: string;
  /**
   * The principals (role ARNs, wildcards allowed) that may read the secret; with it, the secret's
   * policy denies `secretsmanager:GetSecretValue` to every other principal (the deploying role
   * and the function that rotates it excepted). They need not exist yet: the policy names them in
   * a condition, not as principals.
   * @default - no deny: readable by whoever IAM allows (IT, to hand partner credentials over)
   */
  readonly admittedPrincipalArns?: readonly string[];
}

export interface ConsumerCredentialsProps extends ConsumerCredentialsOptions {
  /** The consumer's app client. */
  readonly client: cognito.UserPoolClient;
  /** Encrypts the secret; its policy must let Secrets Manager use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * The role that deploys the stack. CloudFormation resolves the API key's
   * `{{resolve:secretsmanager:...}}` reference with it each time it creates or updates the key, so
   * the secret's deny admits it for `secretsmanager:GetSecretValue` (and for nothing else: the
   * deny covers only that action).
   * @default - the CDK bootstrap's CloudFormation execution role with the default qualifier
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
   */
  readonly deploymentRoleArn?: string;
  /** The token endpoint, stored with the credentials for the runtime's convenience. */
  readonly tokenUrl: string;
  /** The broker API's URL, likewise. */
  readonly apiUrl: string;
}

/**
 * A consumer's broker credentials, delivered rather than copied: one Secrets Manager secret with
 * the app client's id and secret (taken from Cognito by reference at deploy time, never written in
 * the template) and a generated API key, which also becomes the consumer's API Gateway API key.
 *
 * Secret JSON: `{"clientId", "clientSecret", "apiKey", "tokenUrl", "apiUrl"}`.
 */
export class ConsumerCredentials extends Construct {
  /** The secret with the client id, client secret, API key, token URL and API URL. */
  readonly secret: secretsmanager.ISecret;
  private readonly admitted?: string[];

  constructor(scope: Construct, id: string, props: ConsumerCredentialsProps) {
    super(scope, id);
    const cfnClient = props.client.node.defaultChild as cognito.CfnUserPoolClient;
    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: `Broker credentials of ${props.client.node.id}`,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
      generateSecretString: {
        // The client secret is a reference ({"Fn::GetAtt": [client, "ClientSecret"]}) resolved by
        // CloudFormation; the template never holds the value.
        secretStringTemplate: JSON.stringify({
          clientId: props.client.userPoolClientId,
          clientSecret: cfnClient.attrClientSecret,
          tokenUrl: props.tokenUrl,
          apiUrl: props.apiUrl,
        }),
        generateStringKey: 'apiKey',
        passwordLength: 40,
        excludePunctuation: true,
      },
    });
    this.secret = secret;
    if (props.admittedPrincipalArns) {
      const admitted = [...props.admittedPrincipalArns];
      this.admitted = admitted;
      secret.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OnlyTheConsumerRuntimeReads',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:GetSecretValue'],
          resources: ['*'],
          conditions: {
            ArnNotLike: {
              'aws:PrincipalArn': Lazy.list({
                produce: () => [
                  ...admitted,
                  props.deploymentRoleArn ?? cloudFormationExecutionRoleArn(this),
                ],
              }),
            },
            Bool: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
      // A runtime in another account (a product that owns its account) needs the secret's own
      // allow as well as its role's: by its account and ARN, since the role may not exist yet.
      // @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html
      const own = Stack.of(this).account;
      admitted.forEach((arn, i) => {
        const account = /^arn:[^:]+:iam::([0-9]{12}):/.exec(arn)?.[1];
        if (account === undefined || Token.isUnresolved(own) || account === own) return;
        secret.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `ConsumerRuntimeInItsAccountReads${i === 0 ? '' : i + 1}`,
            effect: iam.Effect.ALLOW,
            principals: [new iam.AccountPrincipal(account)],
            actions: ['secretsmanager:GetSecretValue'],
            resources: ['*'],
            conditions: { ArnEquals: { 'aws:PrincipalArn': arn } },
          }),
        );
      });
    }
  }

  /**
   * Lets one more principal read the secret past its deny, e.g. the function that rotates it.
   * @throws Error when the secret has no deny (no `admittedPrincipalArns`): anyone IAM allows
   * reads it already.
   */
  admit(principalArn: string): void {
    if (!this.admitted)
      throw new Error(
        `${this.node.path}: admit(${principalArn}) has no effect: the secret denies no one (pass admittedPrincipalArns)`,
      );
    if (!this.admitted.includes(principalArn)) this.admitted.push(principalArn);
  }

  /** The API key value, as a deploy-time reference into the secret (no value in the template). */
  get apiKeyValue(): string {
    return SecretValue.secretsManager(this.secret.secretArn, {
      jsonField: 'apiKey',
    }).unsafeUnwrap();
  }

  /**
   * An API Gateway API key with the secret's value, joined to `usagePlan` when given. Both are
   * children of this construct (`ApiKey`, `UsagePlanKey`), so their ids follow the consumer, not
   * the order consumers were added in (`UsagePlan.addApiKey` names the second key it gets after
   * the key, the first one not). The key is created after the secret's resource policy, so
   * CloudFormation never resolves the value while the policy is half made.
   */
  addApiKey(name: string, usagePlan?: apigw.IUsagePlan): apigw.IApiKey {
    const apiKey = new apigw.ApiKey(this, 'ApiKey', {
      apiKeyName: name,
      description: `${name}: identifies the consumer for its usage plan (authorisation is the OAuth token)`,
      value: this.apiKeyValue,
      enabled: true,
    });
    // `Secret.addToResourcePolicy` puts the `AWS::SecretsManager::ResourcePolicy` at child `Policy`.
    const policy = this.secret.node.tryFindChild('Policy');
    if (policy) apiKey.node.addDependency(policy);
    if (usagePlan) {
      new apigw.CfnUsagePlanKey(this, 'UsagePlanKey', {
        keyId: apiKey.keyId,
        keyType: 'API_KEY',
        usagePlanId: usagePlan.usagePlanId,
      });
    }
    return apiKey;
  }
}
