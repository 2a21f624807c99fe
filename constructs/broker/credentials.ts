import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cloudFormationExecutionRoleArn } from '../shared/deployment-role';

export interface ConsumerCredentialsProps {
  /** The consumer's app client. */
  readonly client: cognito.UserPoolClient;
  /** The secret's name, e.g. `office-zones/OfficeZones/dev/broker/clients/product.web-shop`. */
  readonly secretName: string;
  /** Encrypts the secret. */
  readonly key: kms.IKey;
  /**
   * The one role (by ARN, wildcards allowed) that may read the secret; every other principal is
   * denied. It need not exist yet: the policy names it in a condition, not as a principal.
   * @default - no deny: readable by whoever IAM allows (IT, to hand partner credentials over)
   */
  readonly readerRoleArn?: string;
  /**
   * Further roles that may read it, e.g. the function that rotates it.
   * @default - none
   */
  readonly alsoReadBy?: readonly string[];
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
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ConsumerCredentialsProps) {
    super(scope, id);
    const cfnClient = props.client.node.defaultChild as cognito.CfnUserPoolClient;
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: `Broker credentials of ${props.client.node.id}`,
      encryptionKey: props.key,
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
    if (props.readerRoleArn) {
      this.secret.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OnlyTheConsumerRuntimeReads',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:GetSecretValue'],
          resources: ['*'],
          conditions: {
            ArnNotLike: {
              'aws:PrincipalArn': [
                props.readerRoleArn,
                ...(props.alsoReadBy ?? []),
                props.deploymentRoleArn ?? cloudFormationExecutionRoleArn(this),
              ],
            },
            Bool: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
    }
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
