import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ConsumerCredentials } from '../../../../constructs/broker/credentials';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A broker-like stack: one consumer's credentials with an API key resolved from its secret. */
function credentialsApp(deploymentRoleArn?: string) {
  const app = newApp();
  const broker = new Stack(app, 'Broker');
  const pool = new cognito.UserPool(broker, 'Pool');
  const client = pool.addClient('Client', { generateSecret: true });
  const credentials = new ConsumerCredentials(broker, 'Credentials', {
    client,
    secretName: 'office-zones/test/clients/product.shop',
    encryptionKey: new kms.Key(broker, 'Key'),
    admittedPrincipalArns: [
      broker.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'shop-runtime',
      }),
    ],
    deploymentRoleArn,
    tokenUrl: 'https://auth.example/oauth2/token',
    apiUrl: 'https://api.example/v1/',
  });
  credentials.addApiKey('product.shop');
  new ssm.StringParameter(broker, 'ApiUrl', {
    parameterName: '/test/api-url',
    stringValue: 'https://api.example/',
  });
  const product = new Stack(app, 'Product');
  new ssm.CfnParameter(product, 'Reads', {
    type: 'String',
    value: ssm.StringParameter.valueForStringParameter(product, '/test/api-url'),
  });
  return app;
}

describe('DeployDynamicReferences', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(credentialsApp(), { Broker: 'integration', Product: 'front-office' });
    bad = await evaluate(credentialsApp('arn:aws:iam::111111111111:role/someone-else'), {
      Broker: 'integration',
      Product: 'front-office',
    });
  });

  it('lets the execution role resolve the API key from its secret, decrypt it, and read SSM-typed parameters', () => {
    expect(decisions(ofKind(good, 'DeployDynamicReferences'))).toEqual([
      'deploy.resolve.broker.credentialsapikey Allowed',
      'deploy.resolve.broker.credentialsapikey.decrypt Allowed',
      'deploy.resolve.broker.bootstrapversion Allowed',
      'deploy.resolve.product.ssmparametervaluetestapiurl Allowed',
      'deploy.resolve.product.bootstrapversion Allowed',
    ]);
  });

  it('fails when the secret policy does not admit the deploying role', () => {
    const [resolve] = ofKind(bad, 'DeployDynamicReferences');
    expect(resolve).toMatchObject({
      id: 'deploy.resolve.broker.credentialsapikey',
      decision: 'ExplicitlyDenied',
      pass: false,
      action: 'secretsmanager:GetSecretValue',
      principal: {
        kind: 'role',
        arn: 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1',
      },
    });
    expect(resolve.resource).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:111111111111:secret:office-zones\/test\/clients\/product\.shop-/,
    );
    expect(resolve.decidingStatements).toEqual([
      {
        policy: expect.stringMatching(
          /^resource policy AWS::SecretsManager::ResourcePolicy Broker\/CredentialsSecretPolicy/,
        ),
        sid: 'OnlyTheConsumerRuntimeReads',
      },
    ]);
  });
});
