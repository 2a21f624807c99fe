import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { OfficeZonesStacks } from '../../../lib/stacks/office-zones';
import { allStacks } from '../../../lib/stacks/office-zones';
import { buildReference } from '../../helpers';
import { buildEnvironments } from '../../support/multi-account-build';
import { multiAccountInput } from '../../support/multi-account';

/**
 * The reference blueprint in two environments, each zone in its own account (test/support):
 * where each stack goes, and every statement that lets the door cross accounts (DEC-035, DEC-036).
 */
let envs: Map<string, OfficeZonesStacks>;
let templates: Map<Stack, Template>;
const template = (stack: Stack) => {
  let t = templates.get(stack);
  if (!t) templates.set(stack, (t = Template.fromStack(stack)));
  return t;
};
beforeAll(() => {
  envs = buildEnvironments(multiAccountInput());
  templates = new Map();
});

const prod = () => envs.get('prod')!;
const test_ = () => envs.get('test')!;

describe('each stack in its account and region', () => {
  test("every stack of both environments has its zone's account, the environment's region and its blueprint name", () => {
    const placed = [...envs.values()].flatMap((stacks) =>
      allStacks(stacks).map((s) => `${s.stackName} ${s.account} ${s.region}`),
    );
    expect(placed.sort()).toEqual(
      [
        'OfficeZones-test-BackOffice 210000000001 eu-west-2',
        'OfficeZones-test-BackOfficeOperations 210000000001 eu-west-2',
        'OfficeZones-test-Broker 210000000002 eu-west-2',
        'OfficeZones-test-Consumer-partner-marketplace 210000000002 eu-west-2',
        'OfficeZones-test-Consumer-product-loyalty 210000000002 eu-west-2',
        'OfficeZones-test-Consumer-product-web-shop 210000000002 eu-west-2',
        'OfficeZones-test-FrontOfficeGuardrails 210000000003 eu-west-2',
        'OfficeZones-test-Product-loyalty 210000000003 eu-west-2',
        'OfficeZones-test-Product-web-shop 210000000003 eu-west-2',
        'OfficeZones-CostManagement 200000000000 us-east-1',
        'OfficeZones-Organization 200000000000 us-east-1',
        'OfficeZones-prod-BackOffice 310000000001 eu-west-2',
        'OfficeZones-prod-BackOfficeOperations 310000000001 eu-west-2',
        'OfficeZones-prod-Broker 310000000002 eu-west-2',
        'OfficeZones-prod-Consumer-partner-marketplace 310000000002 eu-west-2',
        'OfficeZones-prod-Consumer-product-loyalty 310000000002 eu-west-2',
        'OfficeZones-prod-Consumer-product-web-shop 310000000002 eu-west-2',
        'OfficeZones-prod-FrontOfficeGuardrails 310000000003 eu-west-2',
        'OfficeZones-prod-FrontOfficeGuardrails-310000000004 310000000004 eu-west-2',
        'OfficeZones-prod-Product-loyalty 310000000003 eu-west-2',
        'OfficeZones-prod-Product-web-shop 310000000004 eu-west-2',
      ].sort(),
    );
  });

  test('a product in its own account depends on the guardrails of that account', () => {
    const webShop = prod().products.find(
      (p) => p.stackName === 'OfficeZones-prod-Product-web-shop',
    )!;
    expect(webShop.dependencies.map((d) => d.stackName)).toContain(
      'OfficeZones-prod-FrontOfficeGuardrails-310000000004',
    );
  });

  test('no stack references another across accounts: a weak reference stays in its account, and no role lets another account read outputs', () => {
    for (const stacks of envs.values()) {
      const accountOf = new Map(allStacks(stacks).map((s) => [s.stackName, s.account]));
      for (const stack of allStacks(stacks)) {
        const text = JSON.stringify(template(stack).toJSON());
        expect(text).not.toMatch(/Fn::ImportValue|GetStackOutputRole|"RoleArn"/);
        for (const m of text.matchAll(/"Fn::GetStackOutput":\{"StackName":"([^"]+)"/g))
          expect(`${stack.stackName} reads ${m[1]} in ${accountOf.get(m[1])}`).toBe(
            `${stack.stackName} reads ${m[1]} in ${stack.account}`,
          );
      }
    }
  });
});

describe('the door across accounts', () => {
  const admits = (account: string, roleName: string, actions: unknown) =>
    Match.objectLike({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: actions,
      Condition: Match.objectLike({
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/${roleName}` },
      }),
    });

  test('the intake queue, the ledgers and the zone key admit the integration roles of the integration account, for their actions only', () => {
    const back = template(prod().backOffice);
    back.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          admits('310000000002', 'OfficeZones-prod-broker-orders', 'sqs:SendMessage'),
        ]),
      },
    });
    back.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'OfficeZones-prod-catalog-ledger',
      ResourcePolicy: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            admits('310000000002', 'OfficeZones-prod-broker-catalog', [
              'dynamodb:GetItem',
              'dynamodb:Query',
            ]),
          ]),
        },
      },
    });
    back.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          // Through SQS only (kms:ViaService sqs.<region>.<url suffix>).
          Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::310000000002:root' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': 'arn:aws:iam::310000000002:role/OfficeZones-prod-broker-orders',
              },
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['sqs.eu-west-2.', { Ref: 'AWS::URLSuffix' }]],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  test('the broker names the back office by ARN in its account, a ledger by its ARN in each request', () => {
    const broker = template(prod().broker);
    const text = JSON.stringify(broker.toJSON());
    expect(text).toContain(
      'arn:aws:dynamodb:eu-west-2:310000000001:table/OfficeZones-prod-orders-ledger',
    );
    // The queue's URL, in the back-office account (the URL suffix is resolved at deploy).
    expect(text).toMatch(
      /https:\/\/sqs\.eu-west-2\.[^/]+\/310000000001\/OfficeZones-prod-orders-intake/,
    );
    expect(text).toMatch(
      /TableName\W+arn:aws:dynamodb:eu-west-2:310000000001:table\/OfficeZones-prod-catalog-ledger\W/,
    );
  });

  test("a product's secret admits its runtime in the product's own account, and the credentials key its product accounts", () => {
    const consumer = template(prod().consumers.get('product.web-shop')!);
    consumer.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: Match.arrayWith([
          admits(
            '310000000004',
            'OfficeZones-prod-product-web-shop-runtime',
            'secretsmanager:GetSecretValue',
          ),
        ]),
      },
    });
    template(prod().broker).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ProductRuntimesInTheirAccountsDecryptTheirCredentials',
            Action: 'kms:Decrypt',
            Principal: {
              AWS: ['arn:aws:iam::310000000003:root', 'arn:aws:iam::310000000004:root'],
            },
            Condition: Match.objectLike({
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['secretsmanager.eu-west-2.', { Ref: 'AWS::URLSuffix' }]],
                },
              },
            }),
          }),
        ]),
      },
    });
  });

  test('what a product reads at deploy is shared with its account through AWS RAM and read by ARN', () => {
    const broker = template(prod().broker);
    broker.hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: false,
      Principals: ['310000000003', '310000000004'],
    });
    for (const name of ['api-url', 'token-url', 'credentials-key-arn'])
      broker.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/office-zones/OfficeZones/prod/broker/${name}`,
        Tier: 'Advanced',
      });
    template(prod().consumers.get('product.web-shop')!).hasResourceProperties(
      'AWS::RAM::ResourceShare',
      { AllowExternalPrincipals: false, Principals: ['310000000004'] },
    );
    const webShop = template(prod().products.find((p) => p.stackName.endsWith('web-shop'))!);
    const defaults = Object.values(webShop.toJSON().Parameters ?? {})
      .map((p) => (p as { Default?: string }).Default)
      .filter((d) => d?.startsWith('arn:aws:ssm:'));
    expect(defaults.sort()).toEqual([
      'arn:aws:ssm:eu-west-2:310000000002:parameter/office-zones/OfficeZones/prod/broker/api-url',
      'arn:aws:ssm:eu-west-2:310000000002:parameter/office-zones/OfficeZones/prod/broker/clients/product.web-shop/secret-arn',
      'arn:aws:ssm:eu-west-2:310000000002:parameter/office-zones/OfficeZones/prod/broker/credentials-key-arn',
      'arn:aws:ssm:eu-west-2:310000000002:parameter/office-zones/OfficeZones/prod/broker/token-url',
    ]);
  });

  test("a partner's consumer stack shares nothing, and in one account nothing is shared or Advanced", () => {
    template(test_().consumers.get('partner.marketplace')!).resourceCountIs(
      'AWS::RAM::ResourceShare',
      0,
    );
    const { stacks } = buildReference();
    for (const stack of allStacks(stacks)) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::RAM::ResourceShare', 0);
      expect(JSON.stringify(t.toJSON())).not.toContain('ArnEquals');
    }
  });
});
