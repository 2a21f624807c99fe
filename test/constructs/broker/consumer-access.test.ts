import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Broker } from '../../../constructs/broker/broker';
import type { Consumer } from '../../../constructs/broker/consumer';
import { ConsumerAccess } from '../../../constructs/broker/consumer-access';
import { SystemOfRecord } from '../../../constructs/back-office/system-of-record';
import { testApp } from '../../helpers';

const PREFIX = 'acme/broker/clients/';

/** A broker alone in its stack, as the blueprint's broker stack places it. */
function brokerStack(app: App = testApp()) {
  const stack = new Stack(app, 'Broker');
  const broker = new Broker(stack, 'Broker', {
    domainPrefix: 'acme-dev',
    routes: [
      {
        capability: 'catalog',
        operation: 'listItems',
        kind: 'query',
        path: '/catalog/items',
        scope: 'catalog/read',
      },
    ],
    targets: {
      catalog: {
        system: SystemOfRecord.fromSystemOfRecordAttributes(stack, 'Catalog', {
          capabilityName: 'catalog',
          keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
          ledgerTableName: 'acme-catalog',
          ledgerKeys: { partitionKey: 'sku' },
        }),
      },
    },
    credentialsSecretNamePrefix: PREFIX,
  });
  return { app, stack, broker };
}

const product = (name: string, scopes = ['catalog/read']): Consumer => ({
  kind: 'product',
  name,
  owner: `${name}@example.com`,
  scopes,
});

/** `count` consumers, each in a stack of its own. */
function withConsumers(count: number) {
  const built = brokerStack();
  const consumers = Array.from({ length: count }, (_, i) => {
    const stack = new Stack(built.app, `Consumer${i}`);
    return new ConsumerAccess(stack, 'Consumer', {
      broker: built.broker,
      consumer: product(`p${i}`),
      credentials: {
        secretName: `${PREFIX}product.p${i}`,
        admittedPrincipalArns: [`arn:aws:iam::123456789012:role/p${i}-runtime`],
      },
    });
  });
  return { ...built, consumers };
}

describe('ConsumerAccess', () => {
  test("each consumer in its own stack keeps the broker's stack the same size, whatever their number", () => {
    const one = withConsumers(1);
    const twenty = withConsumers(20);
    const counts = (stack: Stack) => {
      const t = Template.fromStack(stack).toJSON();
      return {
        resources: Object.keys(t.Resources).length,
        outputs: Object.keys(t.Outputs ?? {}).length,
        bytes: JSON.stringify(t).length,
      };
    };
    expect(counts(twenty.stack)).toEqual(counts(one.stack));
    // The app synthesizes: no dependency cycle between the broker and its consumers.
    const assembly = twenty.app.synth();
    const stackDependencies = assembly
      .getStackByName('Consumer19')
      .dependencies.map((d) => d.id)
      .filter((id) => !id.endsWith('.assets'));
    expect(stackDependencies).toEqual(['Broker']);
  });

  test("a consumer's stack holds its app client, secret, policy, rotation, API key and plan key", () => {
    const { consumers } = withConsumers(1);
    const t = Template.fromStack(Stack.of(consumers[0]!));
    for (const type of [
      'AWS::Cognito::UserPoolClient',
      'AWS::SecretsManager::Secret',
      'AWS::SecretsManager::ResourcePolicy',
      'AWS::SecretsManager::RotationSchedule',
      'AWS::ApiGateway::ApiKey',
      'AWS::ApiGateway::UsagePlanKey',
    ])
      t.resourceCountIs(type, 1);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'product.p0',
      AllowedOAuthScopes: ['catalog/read'],
    });
  });

  test('the rotation role names the secrets by their prefix, in one statement, not one per secret', () => {
    const { stack } = withConsumers(3);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    const secretStatements = statements.filter((s: any) =>
      [s.Action].flat().includes('secretsmanager:PutSecretValue'),
    );
    expect(secretStatements).toHaveLength(1);
    expect(JSON.stringify(secretStatements[0].Resource)).toContain(`:secret:${PREFIX}*`);
  });

  test('Secrets Manager may invoke the rotation function: one permission for every secret', () => {
    const { stack } = withConsumers(3);
    const permissions = Template.fromStack(stack).findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'secretsmanager.amazonaws.com' },
    });
    expect(Object.keys(permissions)).toHaveLength(1);
  });

  test('admit() lets one more principal read the secret past its deny', () => {
    const { consumers } = withConsumers(1);
    consumers[0]!.credentials.admit('arn:aws:iam::123456789012:role/auditor');
    const t = Template.fromStack(Stack.of(consumers[0]!));
    const policy = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy'))[0] as any;
    const admitted = policy.Properties.ResourcePolicy.Statement[0].Condition.ArnNotLike[
      'aws:PrincipalArn'
    ] as unknown[];
    expect(admitted).toContain('arn:aws:iam::123456789012:role/auditor');
    expect(admitted).toContain('arn:aws:iam::123456789012:role/p0-runtime');
  });

  test('fails when admit() is called on a secret that denies no one', () => {
    const { app, broker } = brokerStack();
    const access = new ConsumerAccess(new Stack(app, 'Partner'), 'Consumer', {
      broker,
      consumer: { ...product('x'), kind: 'partner' },
    });
    expect(() => access.credentials.admit('arn:aws:iam::123456789012:role/r')).toThrow(
      'Partner/Consumer/Credentials: admit(arn:aws:iam::123456789012:role/r) has no effect: the secret denies no one (pass admittedPrincipalArns)',
    );
  });

  test('fails when a consumer asks for a scope no resource server offers, naming it and what is offered', () => {
    const { app, broker } = brokerStack();
    expect(
      () =>
        new ConsumerAccess(new Stack(app, 'C'), 'Consumer', {
          broker,
          consumer: product('shop', ['orders/write']),
        }),
    ).toThrow(
      'C/Consumer (product.shop) asks for scope orders/write, which no resource server offers (offered: catalog/read)',
    );
  });

  test('fails when a consumer has no scopes', () => {
    const { app, broker } = brokerStack();
    expect(
      () =>
        new ConsumerAccess(new Stack(app, 'C'), 'Consumer', {
          broker,
          consumer: product('shop', []),
        }),
    ).toThrow('C/Consumer: consumer product.shop has no scopes (received: [])');
  });

  test('fails when two consumers share a client name', () => {
    const { app, broker } = brokerStack();
    new ConsumerAccess(new Stack(app, 'A'), 'Consumer', { broker, consumer: product('shop') });
    expect(
      () =>
        new ConsumerAccess(new Stack(app, 'B'), 'Consumer', { broker, consumer: product('shop') }),
    ).toThrow('B/Consumer: the broker Broker/Broker already has a consumer named product.shop');
  });

  test("fails when a consumer's secret is named outside the prefix the rotation may manage", () => {
    const { app, broker } = brokerStack();
    const stack = new Stack(app, 'C');
    expect(
      () =>
        new ConsumerAccess(stack, 'Consumer', {
          broker,
          consumer: product('shop'),
          credentials: { secretName: 'elsewhere/product.shop' },
        }),
    ).toThrow(
      'C/Consumer: credentials.secretName must start with the broker\'s credentialsSecretNamePrefix acme/broker/clients/, the secrets its rotation function may manage (received: "elsewhere/product.shop")',
    );
    // Nothing was made before the check.
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('C/Consumer/'))).toEqual([]);
  });

  test("fails when a consumer's throttle is one API Gateway refuses", () => {
    const { app, broker } = brokerStack();
    expect(
      () =>
        new ConsumerAccess(new Stack(app, 'C'), 'Consumer', {
          broker,
          consumer: { ...product('shop'), throttle: { rateLimit: 0, burstLimit: -5 } },
        }),
    ).toThrow(
      [
        'C/Consumer: consumer.throttle.rateLimit must be a number of requests per second greater than 0 (received: 0)',
        'C/Consumer: consumer.throttle.burstLimit must be a whole number of requests from 0 to 5000 (received: -5)',
      ].join('\n'),
    );
  });

  test('fails when the secret name prefix would let the rotation role manage other secrets', () => {
    for (const prefix of ['', 'clients', '/']) {
      expect(
        () =>
          new Broker(new Stack(testApp(), 'P'), 'Broker', {
            domainPrefix: 'acme-dev',
            routes: [],
            targets: {},
            credentialsSecretNamePrefix: prefix,
          }),
      ).toThrow(
        `P/Broker: credentialsSecretNamePrefix must be one or more path segments of A-Za-z0-9_+=.@- ending in "/", e.g. office-zones/broker/clients/ (received: ${JSON.stringify(prefix)})`,
      );
    }
  });

  test("fails when the broker's props are out of AWS's ranges, naming each with its value", () => {
    const stack = new Stack(testApp(), 'Bad');
    expect(
      () =>
        new Broker(stack, 'Broker', {
          domainPrefix: 'Acme_Dev',
          routes: [],
          targets: {},
          wafRateLimitPerIp: 5,
          maxBodyBytes: 70_000,
          accessTokenValidity: Duration.days(2),
          throttle: { rateLimit: 0, burstLimit: 200 },
          defaultConsumerThrottle: { rateLimit: 5, burstLimit: 6000 },
        }),
    ).toThrow(
      [
        'Bad/Broker: domainPrefix must be lower-case letters, digits and hyphens (at most 63, not at either end) (received: "Acme_Dev")',
        'Bad/Broker: wafRateLimitPerIp must be a whole number of requests per 5 minutes from 10 to 2000000000 (received: 5)',
        'Bad/Broker: maxBodyBytes must be a whole number of bytes from 1 to 65536 (received: 70000)',
        'Bad/Broker: accessTokenValidity must be a whole number of minutes from 5 to 1440 (received: 2 days)',
        'Bad/Broker: throttle.rateLimit must be a number of requests per second greater than 0 (received: 0)',
        'Bad/Broker: defaultConsumerThrottle.burstLimit must be a whole number of requests from 0 to 5000 (received: 6000)',
      ].join('\n'),
    );
  });
});
