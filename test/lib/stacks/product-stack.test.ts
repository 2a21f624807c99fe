import { RemovalPolicy } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { productRuntimeRoleName } from '../../../lib/blueprint/names';
import { parseBlueprint } from '../../../lib/blueprint';
import { ProductStack } from '../../../lib/stacks/product-stack';
import { buildReference, referenceInput, testApp } from '../../helpers';

const BOUNDARY_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iam::',
      { Ref: 'AWS::AccountId' },
      ':policy/OfficeZones-dev-front-office-boundary',
    ],
  ],
};

describe('product stacks of the reference blueprint', () => {
  const { app, blueprint, stacks } = buildReference();
  // A role CDK makes for itself, as a raw CfnResource: the auto-delete provider of a bucket.
  new s3.Bucket(stacks.products[1], 'Scratch', {
    autoDeleteObjects: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const assembly = app.synth();
  const [shop, loyalty] = stacks.products.map((s) => Template.fromStack(s));

  test('every IAM role of every product stack carries the front-office boundary, CDK-made roles included', () => {
    let roles = 0;
    for (const template of [shop, loyalty]) {
      for (const [id, role] of Object.entries<any>(template.findResources('AWS::IAM::Role'))) {
        expect({ id, boundary: role.Properties.PermissionsBoundary }).toEqual({
          id,
          boundary: BOUNDARY_ARN,
        });
        roles++;
      }
    }
    expect(roles).toBeGreaterThanOrEqual(2);
    expect(Object.keys(loyalty.findResources('AWS::IAM::Role'))).toEqual([
      expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/),
    ]);
  });

  test('each product has a monthly budget on its product tag that alerts its owner at 80% actual and 100% forecast', () => {
    shop.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'OfficeZones-dev-product-web-shop',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 800, Unit: 'USD' },
        CostFilters: { TagKeyValue: ['user:Product$web-shop'] },
      },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 80,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'web-shop-team@northwind.example' }],
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 100,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'web-shop-team@northwind.example' }],
        },
      ],
    });
    loyalty.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ CostFilters: { TagKeyValue: ['user:Product$loyalty'] } }),
    });
  });

  test("the web shop reads the broker's published values at deploy time, as CloudFormation parameters", () => {
    const parameters = shop.toJSON().Parameters;
    const defaults = Object.values<any>(parameters)
      .filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>')
      .map((p) => p.Default)
      .filter((name) => name.startsWith('/office-zones/'))
      .sort();
    expect(defaults).toEqual([
      '/office-zones/OfficeZones/dev/broker/api-url',
      '/office-zones/OfficeZones/dev/broker/clients/product.web-shop/secret-arn',
      '/office-zones/OfficeZones/dev/broker/credentials-key-arn',
      '/office-zones/OfficeZones/dev/broker/token-url',
    ]);
    // No context lookups: nothing was cached in cdk.context.json.
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('the runtime role has the name the broker admits, reads only its secret and decrypts only through Secrets Manager', () => {
    shop.hasResourceProperties('AWS::IAM::Role', {
      RoleName: productRuntimeRoleName(blueprint, 'web-shop'),
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
      },
    });
    const statements = new Capture();
    shop.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: statements },
      Roles: [{ Ref: Match.stringLikeRegexp('^ProductApiRuntimeRole') }],
    });
    const byAction = Object.fromEntries(
      statements.asArray().map((s: any) => [[s.Action].flat().join(' '), s]),
    );
    expect(byAction['secretsmanager:GetSecretValue'].Resource).toEqual({
      Ref: expect.stringMatching(/^SsmParameterValue.*secretarn/i),
    });
    expect(byAction['kms:Decrypt']).toMatchObject({
      Resource: { Ref: expect.stringMatching(/^SsmParameterValue.*credentialskeyarn/i) },
      Condition: {
        StringEquals: {
          'kms:ViaService': {
            'Fn::Join': [
              '',
              ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
            ],
          },
        },
      },
    });
  });

  test('the handler runs on the newest Node.js runtime with the broker URLs, the secret ARN and the consumed routes', () => {
    shop.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          BROKER_API_URL: { Ref: Match.stringLikeRegexp('apiurl') },
          BROKER_TOKEN_URL: { Ref: Match.stringLikeRegexp('tokenurl') },
          BROKER_CREDENTIALS_SECRET_ARN: { Ref: Match.stringLikeRegexp('secretarn') },
          BROKER_SCOPES: 'catalog/read orders/write orders/read',
          BROKER_ROUTES: JSON.stringify([
            { route: 'POST /orders' },
            { route: 'GET /orders/{orderId}' },
            { route: 'GET /catalog/items', query: ['category'] },
          ]),
        }),
      },
    });
  });

  test('the HTTP API serves exactly the consumed routes, throttled, with JSON access logs and CORS for its own site', () => {
    const routes = Object.values<any>(shop.findResources('AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual(['GET /catalog/items', 'GET /orders/{orderId}', 'POST /orders']);
    shop.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    shop.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [
          {
            'Fn::Join': [
              '',
              [
                'https://',
                { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] },
              ],
            ],
          },
        ],
      }),
    });
  });

  test('a product without an API has no function, no runtime role and reads no broker parameter', () => {
    loyalty.resourceCountIs('AWS::Lambda::Function', 1); // the auto-delete provider added above
    loyalty.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    expect(
      Object.keys(loyalty.toJSON().Parameters ?? {}).filter((p) =>
        p.startsWith('SsmParameterValue'),
      ),
    ).toEqual([]);
    loyalty.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  test('deploys after the broker, its consumer stack and the guardrails, by order only: no reference to another stack', () => {
    const artifact = assembly.getStackByName('OfficeZones-dev-Product-web-shop');
    expect(
      artifact.dependencies
        .map((d) => d.id)
        .filter((id) => !id.endsWith('.assets'))
        .sort(),
    ).toEqual([
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-Consumer-product-web-shop',
      'OfficeZones-dev-FrontOfficeGuardrails',
    ]);
    const text = JSON.stringify(artifact.template);
    expect(text).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
  });
});

describe('a product that requires sign-in', () => {
  test('puts a JWT authorizer on every route', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].components.api.authorizer = {
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
      audiences: ['shop-web-client'],
    };
    // The product stack alone, in an app of its own: it references no other stack.
    const blueprint = parseBlueprint(input);
    const stack = new ProductStack(testApp(), 'Shop', {
      blueprint,
      product: blueprint.frontOffice.products[0],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
        Audience: ['shop-web-client'],
      },
    });
    const types = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.AuthorizationType,
    );
    expect(types).toEqual(['JWT', 'JWT', 'JWT']);
  });
});
