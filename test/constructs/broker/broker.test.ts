import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { BackOfficeZone } from '../../../constructs/back-office/back-office-zone';
import { cloudFormationExecutionRoleArn } from '../../../constructs/shared/deployment-role';
import { commandModelSchema, SQS_BATCH_ENTRY_ID } from '../../../constructs/broker/api';
import { Broker } from '../../../constructs/broker/broker';
import type { ConsumerAccessOptions } from '../../../constructs/broker/consumer-access';
import { testStack } from '../../helpers';

const ORDER_SCHEMA = {
  type: 'object',
  required: ['orderId'],
  properties: { orderId: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } },
};

function broker(stack: Stack = testStack(), addedFirst: ConsumerAccessOptions[] = []) {
  const backOffice = new BackOfficeZone(stack, 'BackOffice', {
    capabilities: [
      { name: 'orders', ledger: { partitionKey: 'orderId' }, workflow: 'record' },
      {
        name: 'catalog',
        ledger: { partitionKey: 'category', sortKey: 'sku' },
      },
    ],
  });
  const b = new Broker(stack, 'Broker', {
    domainPrefix: 'acme-dev',
    routes: [
      {
        capability: 'orders',
        operation: 'submit',
        kind: 'command',
        path: '/orders',
        scope: 'orders/write',
        body: ORDER_SCHEMA,
        idField: 'orderId',
      },
      {
        capability: 'orders',
        operation: 'get',
        kind: 'query',
        path: '/orders/{orderId}',
        scope: 'orders/read',
      },
      {
        capability: 'catalog',
        operation: 'listItems',
        kind: 'query',
        path: '/catalog/items',
        scope: 'catalog/read',
        queryParameters: ['category'],
      },
    ],
    targets: {
      orders: {
        system: backOffice.capability('orders'),
        integrationRoleName: 'acme-dev-broker-orders',
      },
      catalog: { system: backOffice.capability('catalog') },
    },
    consumers: [
      ...addedFirst,
      {
        consumer: {
          kind: 'product',
          name: 'web-shop',
          owner: 'shop@example.com',
          scopes: ['orders/write', 'catalog/read'],
        },
        credentials: {
          secretName: 'acme/broker/clients/product.web-shop',
          admittedPrincipalArns: ['arn:aws:iam::123456789012:role/acme-web-shop-runtime'],
        },
      },
      {
        consumer: {
          kind: 'partner',
          name: 'marketplace',
          owner: 'partners@example.com',
          scopes: ['catalog/read'],
          throttle: { rateLimit: 5, burstLimit: 10 },
        },
      },
    ],
    credentialsSecretNamePrefix: 'acme/broker/clients/',
  });
  return { stack, backOffice, broker: b };
}

/** Built once for the tests that only read it; tests that add to a broker build their own. */
let shared: ReturnType<typeof broker> | undefined;
const sharedBroker = () => (shared ??= broker());
const templates = new WeakMap<Stack, Template>();
const templateOf = (stack: Stack) =>
  templates.get(stack) ?? templates.set(stack, Template.fromStack(stack)).get(stack)!;

describe('Broker identity', () => {
  test('the user pool is IT-grade: MFA, strong passwords, Plus plan with threat protection, deletion protection', () => {
    const { stack } = sharedBroker();
    templateOf(stack).hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        DeletionProtection: 'ACTIVE',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireSymbols: true,
            RequireUppercase: true,
            RequireNumbers: true,
          }),
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('a domain serves the OAuth endpoints', () => {
    const { stack } = sharedBroker();
    templateOf(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'acme-dev',
    });
  });

  test('one resource server per capability, with the scopes its operations need', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'orders',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: Match.anyValue() },
        { ScopeName: 'write', ScopeDescription: Match.anyValue() },
      ],
    });
  });

  test('one app client per consumer: client credentials, a secret, only its scopes', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'partner.marketplace',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      // The scope by name, so a client in another stack adds no reference to the broker's.
      AllowedOAuthScopes: ['catalog/read'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  test('each app client waits for the resource servers of its scopes: Cognito refuses an unknown scope', () => {
    const template = templateOf(sharedBroker().stack);
    const clients = template.findResources('AWS::Cognito::UserPoolClient', {
      Properties: { ClientName: 'product.web-shop' },
    });
    const dependsOn = [Object.values(clients)[0]!.DependsOn ?? []].flat();
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BrokerIdentityUserPoolOrdersResourceServer/),
        expect.stringMatching(/^BrokerIdentityUserPoolCatalogResourceServer/),
      ]),
    );
  });
});

describe('Broker API', () => {
  test('every method has the Cognito authorizer and its operation scope', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    const methods = template.findResources('AWS::ApiGateway::Method');
    const scopes = Object.values(methods).map((m: any) => [
      m.Properties.HttpMethod,
      m.Properties.AuthorizationType,
      m.Properties.AuthorizationScopes,
    ]);
    expect(scopes).toEqual(
      expect.arrayContaining([
        ['POST', 'COGNITO_USER_POOLS', ['orders/write']],
        ['GET', 'COGNITO_USER_POOLS', ['orders/read']],
        ['GET', 'COGNITO_USER_POOLS', ['catalog/read']],
      ]),
    );
    expect(scopes).toHaveLength(3);
  });

  test('POST /orders validates the body, its id also as an SQS batch entry id', () => {
    const { stack } = sharedBroker();
    templateOf(stack).hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        ...ORDER_SCHEMA,
        properties: { orderId: { allOf: [ORDER_SCHEMA.properties.orderId, SQS_BATCH_ENTRY_ID] } },
      },
    });
    expect(commandModelSchema({ type: 'object' }, 'id')).toEqual({
      type: 'object',
      properties: { id: { allOf: [{}, SQS_BATCH_ENTRY_ID] } },
    });
  });

  test('POST /orders sends the body straight to the intake queue', () => {
    const { stack, backOffice } = sharedBroker();
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestValidatorId: Match.anyValue(),
      RequestModels: { 'application/json': Match.anyValue() },
      Integration: Match.objectLike({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', Match.arrayWith([':sqs:path//'])] },
        RequestParameters: {
          'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
          'integration.request.header.X-Amz-Target': "'AmazonSQS.SendMessageBatch'",
        },
        RequestTemplates: {
          'application/json': {
            'Fn::Join': [
              '',
              Match.arrayWith([
                {
                  Ref: stack.getLogicalId(
                    backOffice.capability('orders').intakeQueue!.node.defaultChild as any,
                  ),
                },
                Match.stringLikeRegexp('"Entries":.*"MessageAttributes":\\{"clientId"'),
              ]),
            ],
          },
        },
        IntegrationResponses: Match.arrayWith([Match.objectLike({ StatusCode: '202' })]),
      }),
    });
  });

  test('the orders integration role may do exactly what the orders routes need, nothing else', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'acme-dev-broker-orders' },
    });
    const [roleId] = Object.keys(roles);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    );
    const actions = policies.flatMap((p: any) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)),
    );
    expect(actions.sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sqs:SendMessage',
    ]);
  });

  test('queries read the ledger: GetItem by id, Query by partition key', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.path.orderId': true },
      Integration: Match.objectLike({
        Uri: { 'Fn::Join': ['', Match.arrayWith([':dynamodb:action/GetItem'])] },
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.category': true },
      Integration: Match.objectLike({
        Uri: { 'Fn::Join': ['', Match.arrayWith([':dynamodb:action/Query'])] },
      }),
    });
  });

  test('the stage logs JSON access logs to an encrypted group, traces and throttles', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"clientId":"\\$context.authorizer.claims.client_id"'),
      },
      MethodSettings: [
        Match.objectLike({
          LoggingLevel: 'ERROR',
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
          HttpMethod: '*',
          ResourcePath: '/*',
        }),
      ],
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
  });

  test('a WAF web ACL with the managed rule groups and a rate limit guards the stage', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        Match.objectLike({ Name: 'BodySizeLimit', Action: { Block: {} } }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: {
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: {
              VendorName: 'AWS',
              Name: 'AWSManagedRulesKnownBadInputsRuleSet',
            },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
        }),
      ],
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  test('fails synth when a method is added without the Cognito authorizer, whenever it was added', () => {
    const { stack, broker: b } = broker();
    b.api.restApi.root.addResource('health').addMethod('GET', new apigw.MockIntegration());
    expect(() => Template.fromStack(stack)).toThrow(
      /broker method GET \/health must use the Cognito authorizer with at least one scope \(found authorization NONE/,
    );
  });

  test('CORS preflight methods are allowed without an authorizer', () => {
    const { stack, broker: b } = broker();
    b.api.restApi.root
      .addResource('public')
      .addCorsPreflight({ allowOrigins: ['https://shop.example'] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('Broker credentials and throttles', () => {
  test('every route needs an API key, which ties the caller to its usage plan', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.allResourcesProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true });
  });

  test('consumers with the same throttle share a usage plan; one with its own throttle gets its own', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 5, BurstLimit: 10 },
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 50, BurstLimit: 100 },
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
  });

  test("fails when adding a consumer first moves another consumer's key or plan: ids follow the consumer and the throttle", () => {
    const idsOf = (stack: Stack) => {
      const template = templateOf(stack);
      const plans = template.findResources('AWS::ApiGateway::UsagePlan');
      const keys = template.findResources('AWS::ApiGateway::UsagePlanKey');
      const apiKeys = template.findResources('AWS::ApiGateway::ApiKey');
      return Object.fromEntries(
        Object.entries(keys).map(([keyId, key]: [string, any]) => {
          const apiKeyId = key.Properties.KeyId.Ref;
          const planId = key.Properties.UsagePlanId.Ref;
          const name = apiKeys[apiKeyId].Properties.Name;
          return [
            name,
            {
              key: keyId,
              apiKey: apiKeyId,
              plan: planId,
              throttle: plans[planId].Properties.Throttle,
            },
          ];
        }),
      );
    };
    const before = idsOf(sharedBroker().stack);
    const after = idsOf(
      broker(testStack(), [
        {
          consumer: {
            kind: 'product',
            name: 'new',
            owner: 'new@example.com',
            scopes: ['catalog/read'],
            throttle: { rateLimit: 7, burstLimit: 14 },
          },
        },
        {
          consumer: {
            kind: 'partner',
            name: 'early',
            owner: 'early@example.com',
            scopes: ['catalog/read'],
          },
        },
      ]).stack,
    );
    expect(Object.keys(before)).toEqual(['product.web-shop', 'partner.marketplace']);
    for (const name of Object.keys(before)) expect(after[name]).toEqual(before[name]);
  });

  test('the client secret and the API key land in Secrets Manager by reference, never as a value in the template', () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    const secret = Object.values(
      template.findResources('AWS::SecretsManager::Secret', {
        Properties: { Name: 'acme/broker/clients/product.web-shop' },
      }),
    )[0] as any;
    const generated = secret.Properties.GenerateSecretString;
    expect(generated.GenerateStringKey).toBe('apiKey');
    expect(JSON.stringify(generated.SecretStringTemplate)).toContain('"ClientSecret"]'); // a Fn::GetAtt of the app client
    expect(secret.Properties.KmsKeyId).toBeDefined();
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Name: 'product.web-shop',
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:'),
            Match.stringLikeRegexp(':SecretString:apiKey::\\}\\}$'),
          ]),
        ],
      },
    });
    const outputs = JSON.stringify(template.toJSON().Outputs ?? {});
    expect(outputs).not.toMatch(/ClientSecret|apiKey/);
  });

  test("only the product's runtime role, the rotation and the deploying role may read the product's secret", () => {
    const { stack, broker: b } = sharedBroker();
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'secretsmanager:GetSecretValue',
            Condition: {
              ArnNotLike: {
                'aws:PrincipalArn': [
                  'arn:aws:iam::123456789012:role/acme-web-shop-runtime',
                  stack.resolve(b.rotation.role.roleArn),
                  // CloudFormation resolves the API key's value from the secret with this role.
                  stack.resolve(cloudFormationExecutionRoleArn(stack)),
                ],
              },
              Bool: { 'aws:PrincipalIsAWSService': 'false' },
            },
          }),
        ]),
      },
    });
  });

  test("each API key is created after its secret's resource policy", () => {
    const { stack } = sharedBroker();
    const template = templateOf(stack);
    const keys = template.findResources('AWS::ApiGateway::ApiKey');
    const policies = Object.keys(template.findResources('AWS::SecretsManager::ResourcePolicy'));
    const guarded = Object.values(keys).filter((k: any) =>
      [k.DependsOn ?? []].flat().some((d: string) => policies.includes(d)),
    );
    // The partner's secret has no resource policy; the product's key waits for its policy.
    expect(guarded).toHaveLength(policies.length);
    expect(policies.length).toBeGreaterThan(0);
  });

  test("every delivered secret rotates with Cognito's client-secret rotation", () => {
    const { stack, broker: b } = sharedBroker();
    const template = templateOf(stack);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'cognito-idp:AddUserPoolClientSecret',
              'cognito-idp:DeleteUserPoolClientSecret',
              'cognito-idp:ListUserPoolClientSecrets',
            ],
            Resource: stack.resolve(b.identity.userPool.userPoolArn),
          }),
        ]),
      },
    });
  });

  test('fails synth when the API exceeds the authorizers quota, naming it and the count', () => {
    const { stack, broker: b } = broker();
    for (let i = 0; i < 10; i++) {
      new apigw.CognitoUserPoolsAuthorizer(stack, `Extra${i}`, {
        cognitoUserPools: [b.identity.userPool],
      })._attachToApi(b.api.restApi);
    }
    expect(() => Template.fromStack(stack)).toThrow(
      /the broker API has 11 authorizers; the AWS quota "authorizers per REST API" allows 10/,
    );
  });
});
