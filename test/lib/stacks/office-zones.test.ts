import { Stack, TagManager, CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { allStacks } from '../../../lib/office-zones';
import { buildReference } from '../../helpers';

describe('the reference blueprint', () => {
  const { app, blueprint, stacks } = buildReference();
  const assembly = app.synth();
  const all: Stack[] = allStacks(stacks);

  test('builds a back office, a broker, the front-office guardrails, one stack per product and the cost-management stack, with the configured prefix', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'OfficeZones-dev-BackOffice',
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-CostManagement',
      'OfficeZones-dev-FrontOfficeGuardrails',
      'OfficeZones-dev-Product-loyalty',
      'OfficeZones-dev-Product-web-shop',
    ]);
  });

  test('every stack is environment-agnostic', () => {
    for (const s of assembly.stacks)
      expect(s.environment).toMatchObject({ account: 'unknown-account', region: 'unknown-region' });
  });

  test("IT's stacks are protected from termination; products are not", () => {
    const protectedStacks = assembly.stacks
      .filter((s) => s.terminationProtection)
      .map((s) => s.stackName);
    expect(protectedStacks.sort()).toEqual([
      'OfficeZones-dev-BackOffice',
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-CostManagement',
      'OfficeZones-dev-FrontOfficeGuardrails',
    ]);
  });

  test('every taggable resource carries every key of the cost-tag contract', () => {
    const keys = Object.values(blueprint.costTags)
      .filter(
        (rule): rule is { key: string; pattern: string } =>
          typeof rule === 'object' && 'key' in rule,
      )
      .map((rule) => rule.key);
    let checked = 0;
    for (const stack of all) {
      for (const node of stack.node.findAll()) {
        if (!(node instanceof CfnResource) || !TagManager.isTaggable(node)) continue;
        const tags = node.tags.tagValues();
        for (const key of keys)
          expect({ path: node.node.path, key, has: key in tags }).toEqual({
            path: node.node.path,
            key,
            has: true,
          });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  test('front-office resources are attributed to their product and cost centre, back-office ones to their capability', () => {
    const shop = Template.fromStack(stacks.products[0]);
    shop.hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([
        { Key: 'CostCentre', Value: 'CC-3100' },
        { Key: 'Product', Value: 'web-shop' },
        { Key: 'Zone', Value: 'front-office' },
      ]),
    });
    const backOffice = Template.fromStack(stacks.backOffice);
    backOffice.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([
        { Key: 'ChangeReference', Value: 'CHG-1001' },
        { Key: 'CostCentre', Value: 'CC-1100' },
        { Key: 'Product', Value: 'orders' },
        { Key: 'Zone', Value: 'back-office' },
      ]),
    });
    const broker = Template.fromStack(stacks.broker);
    broker.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({
        Zone: 'integration',
        CostCentre: 'CC-2000',
        Product: 'broker',
      }),
    });
  });

  test('stacks carry the cost tags as stack tags, so CloudFormation propagates them at deploy', () => {
    const shop = assembly.getStackByName('OfficeZones-dev-Product-loyalty');
    expect(shop.tags).toMatchObject({
      Zone: 'front-office',
      CostCentre: 'CC-3200',
      Owner: 'loyalty-team@northwind.example',
      Product: 'loyalty',
      Environment: 'dev',
    });
  });

  test('POST /orders is an SQS integration behind the Cognito authorizer with scope orders/write', () => {
    Template.fromStack(stacks.broker).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: ['orders/write'],
      Integration: Match.objectLike({
        Type: 'AWS',
        Uri: { 'Fn::Join': ['', Match.arrayWith([':sqs:path/'])] },
      }),
    });
  });

  test('the broker reaches back-office resources by weak references, never the other way round', () => {
    const brokerTemplate = JSON.stringify(Template.fromStack(stacks.broker).toJSON());
    expect(brokerTemplate).toContain('"Fn::GetStackOutput"');
    const backOfficeTemplate = JSON.stringify(Template.fromStack(stacks.backOffice).toJSON());
    expect(backOfficeTemplate).not.toContain('OfficeZones-dev-Broker');
    for (const product of stacks.products) {
      expect(JSON.stringify(Template.fromStack(product).toJSON())).not.toContain(
        'OfficeZones-dev-BackOffice',
      );
    }
  });

  test("change control: each capability's owner and ticket are in the back-office template metadata", () => {
    expect(
      Template.fromStack(stacks.backOffice).toJSON().Metadata['OfficeZones::ChangeControl'],
    ).toEqual({
      orders: { owner: 'change-board@northwind.example', reference: 'CHG-1001' },
      catalog: { owner: 'change-board@northwind.example', reference: 'CHG-1002' },
    });
  });
});
