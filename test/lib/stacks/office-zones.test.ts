import { Stack, TagManager, CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { allStacks } from '../../../lib/stacks/office-zones';
import { buildReference, referenceInput } from '../../helpers';

/** A stack of the assembly or of a nested one, by its CloudFormation name. */
function stackNamed(assembly: CloudAssembly, name: string) {
  const stack = assembly.stacksRecursively.find((s) => s.stackName === name);
  if (!stack) throw new Error(`no stack named ${name}`);
  return stack;
}

describe('the reference blueprint', () => {
  const { app, blueprint, stacks } = buildReference();
  const assembly = app.synth();
  const all: Stack[] = allStacks(stacks);

  test('builds a back office and its operations, a broker, a stack per broker consumer, the front-office guardrails, one stack per product and the cost-management stack, with the configured prefix', () => {
    expect(assembly.stacksRecursively.map((s) => s.stackName).sort()).toEqual([
      'OfficeZones-dev-BackOffice',
      'OfficeZones-dev-BackOfficeOperations',
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-Consumer-partner-marketplace',
      'OfficeZones-dev-Consumer-product-loyalty',
      'OfficeZones-dev-Consumer-product-web-shop',
      'OfficeZones-dev-CostManagement',
      'OfficeZones-dev-FrontOfficeGuardrails',
      'OfficeZones-dev-Product-loyalty',
      'OfficeZones-dev-Product-web-shop',
    ]);
  });

  // The CDK CLI's `deploy --all` selects the top-level stacks of the cloud assembly (its
  // "main-assembly" strategy); a pattern such as `OfficeZones-dev-Management/*` matches the
  // hierarchical ids of a nested stage's stacks.
  test('`cdk deploy --all` selects exactly the zones and products: the management stacks are in a stage of their own', () => {
    expect(assembly.stacks.map((s) => s.hierarchicalId).sort()).toEqual([
      'OfficeZones-dev-BackOffice',
      'OfficeZones-dev-BackOfficeOperations',
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-Consumer-partner-marketplace',
      'OfficeZones-dev-Consumer-product-loyalty',
      'OfficeZones-dev-Consumer-product-web-shop',
      'OfficeZones-dev-FrontOfficeGuardrails',
      'OfficeZones-dev-Product-loyalty',
      'OfficeZones-dev-Product-web-shop',
    ]);
    const nested = assembly.stacksRecursively.filter((s) => !assembly.stacks.includes(s));
    expect(nested.map((s) => [s.hierarchicalId, s.stackName])).toEqual([
      ['OfficeZones-dev-Management/CostManagement', 'OfficeZones-dev-CostManagement'],
    ]);
    // No top-level stack depends on a management stack, so `--all` never pulls one in.
    for (const stack of assembly.stacks)
      expect(stack.dependencies.map((d) => d.id)).not.toContain(nested[0].id);
  });

  test('the organisation stack joins the management stage, and the zones stay top-level', () => {
    const input = referenceInput();
    input.organization = {
      frontOfficeOuIds: ['ou-ab12-frontoff1'],
      backOfficeOuIds: ['ou-ab12-backoff01'],
    };
    const built = buildReference(input).app.synth();
    expect(built.stacks.map((s) => s.stackName)).not.toContain('OfficeZones-dev-Organization');
    expect(
      built.stacksRecursively
        .filter((s) => !built.stacks.includes(s))
        .map((s) => s.hierarchicalId)
        .sort(),
    ).toEqual([
      'OfficeZones-dev-Management/CostManagement',
      'OfficeZones-dev-Management/Organization',
    ]);
  });

  test("the zones are environment-agnostic; the cost-management stack goes to Cost Explorer's region", () => {
    for (const s of assembly.stacks)
      expect(s.environment).toMatchObject({ account: 'unknown-account', region: 'unknown-region' });
    expect(stackNamed(assembly, 'OfficeZones-dev-CostManagement').environment).toMatchObject({
      account: 'unknown-account',
      region: 'us-east-1',
    });
  });

  test('China blueprints get cn-northwest-1, where Cost Explorer lives in that partition', () => {
    const input = referenceInput();
    input.region = 'cn-north-1';
    const built = buildReference(input).app.synth();
    expect(stackNamed(built, 'OfficeZones-dev-CostManagement').environment.region).toBe(
      'cn-northwest-1',
    );
  });

  test('a blueprint without cost management or organisation builds no management stage', () => {
    const input = referenceInput();
    delete input.costManagement;
    const { stacks: built } = buildReference(input);
    expect(built.management).toBeUndefined();
  });

  test("every stack deploys with the bootstrap of the blueprint's qualifier", () => {
    const input = referenceInput();
    input.deployment = { bootstrapQualifier: 'ozq1' };
    const built = buildReference(input).app.synth();
    expect(built.stacksRecursively.length).toBe(10);
    for (const stack of built.stacksRecursively) {
      expect(stack.template.Parameters.BootstrapVersion.Default).toBe(
        '/cdk-bootstrap/ozq1/version',
      );
      expect(stack.assumeRoleArn).toContain('cdk-ozq1-deploy-role-');
      expect(stack.cloudFormationExecutionRoleArn).toContain('cdk-ozq1-cfn-exec-role-');
    }
    // The default qualifier is CDK's own.
    expect(assembly.stacks[0].cloudFormationExecutionRoleArn).toContain(
      'cdk-hnb659fds-cfn-exec-role-',
    );
  });

  test("IT's stacks are protected from termination; products are not", () => {
    const protectedStacks = assembly.stacksRecursively
      .filter((s) => s.terminationProtection)
      .map((s) => s.stackName);
    expect(protectedStacks.sort()).toEqual([
      'OfficeZones-dev-BackOffice',
      'OfficeZones-dev-BackOfficeOperations',
      'OfficeZones-dev-Broker',
      'OfficeZones-dev-Consumer-partner-marketplace',
      'OfficeZones-dev-Consumer-product-loyalty',
      'OfficeZones-dev-Consumer-product-web-shop',
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

  test("a capability's workflow is attributed to the capability, so finance sees its run cost", () => {
    Template.fromStack(stacks.backOffice).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WORKFLOW: 'book-to-bill' }) },
      Tags: Match.arrayWith([
        { Key: 'CostCentre', Value: 'CC-1100' },
        { Key: 'Product', Value: 'orders' },
      ]),
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
        // SQS's AWS JSON protocol: the queue URL travels in the body, the action in a header.
        Uri: { 'Fn::Join': ['', Match.arrayWith([':sqs:path//'])] },
        RequestParameters: Match.objectLike({
          'integration.request.header.X-Amz-Target': "'AmazonSQS.SendMessageBatch'",
        }),
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

  test('fails when the broker reaches a back-office queue or ledger through a reference resolved at its deploy: it uses the names the blueprint fixes', () => {
    const brokerJson = JSON.stringify(Template.fromStack(stacks.broker).toJSON());
    const outputs = [...brokerJson.matchAll(/"OutputName":"([^"]+)"/g)].map((m) => m[1]);
    // The zone key's ARN is the only thing of the back office no name gives.
    expect([...new Set(outputs)]).toEqual([
      expect.stringMatching(/^PublishOutputFnGetAttZoneKey[0-9A-F]{8}Arn[0-9A-F]{8}$/),
    ]);
    const backOffice = Template.fromStack(stacks.backOffice);
    // CloudFormation refuses to replace a resource with a physical name: the broker's target
    // cannot move without the back-office deploy failing.
    backOffice.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'OfficeZones-dev-orders-intake',
    });
    backOffice.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'OfficeZones-dev-orders-dead-letters',
    });
    for (const table of ['OfficeZones-dev-orders-ledger', 'OfficeZones-dev-catalog-ledger'])
      backOffice.hasResourceProperties('AWS::DynamoDB::Table', { TableName: table });
    // The queue URL in the SQS JSON request template is formatted from the queue's fixed name.
    expect(brokerJson).toContain('"/OfficeZones-dev-orders-intake\\",\\"Entries');
    expect(brokerJson).toContain('\\"TableName\\":\\"OfficeZones-dev-orders-ledger\\"');
    expect(brokerJson).toContain('\\"TableName\\":\\"OfficeZones-dev-catalog-ledger\\"');
  });

  test("change control: each capability's owner and ticket are in the back-office template metadata", () => {
    expect(
      Template.fromStack(stacks.backOffice).toJSON().Metadata['OfficeZones::ChangeControl'],
    ).toEqual({
      orders: { owner: 'change-board@northwind.example', reference: 'CHG-1001' },
      catalog: { owner: 'change-board@northwind.example', reference: 'CHG-1002' },
    });
  });

  test('the back office keeps every record encrypted with the zone key, protected, retained and backed up', () => {
    const template = Template.fromStack(stacks.backOffice);
    const key = stacks.backOffice.resolve(stacks.backOffice.zone.key.keyArn);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(3); // orders, invoices, catalog
    for (const table of Object.values(tables) as any[]) {
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: key, SSEEnabled: true, SSEType: 'KMS' },
      });
    }
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: key });
    const selected = Object.values(template.findResources('AWS::Backup::BackupSelection')).flatMap(
      (s: any) => s.Properties.BackupSelection.Resources.map((r: any) => r['Fn::GetAtt'][0]),
    );
    expect(selected.sort()).toEqual(Object.keys(tables).sort());
    // Its alarms notify this topic from the back-office operations stack (DEC-033).
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'it-operations@northwind.example',
    });
  });

  test('the back office admits the broker integration roles by their fixed names', () => {
    const template = JSON.stringify(Template.fromStack(stacks.backOffice).toJSON());
    expect(template).toContain(':role/OfficeZones-dev-broker-orders');
    expect(template).toContain(':role/OfficeZones-dev-broker-catalog');
    Template.fromStack(stacks.broker).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'OfficeZones-dev-broker-orders',
    });
  });

  test('the broker and its consumer stacks publish what runtimes and the CLI need in SSM, and no secret in any output', () => {
    const names = (stack: Stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map(
        (p: any) => p.Properties.Name,
      );
    expect(names(stacks.broker).sort()).toEqual([
      '/office-zones/OfficeZones/dev/broker/api-id',
      '/office-zones/OfficeZones/dev/broker/api-url',
      '/office-zones/OfficeZones/dev/broker/credentials-key-arn',
      '/office-zones/OfficeZones/dev/broker/manifest',
      '/office-zones/OfficeZones/dev/broker/manifest-parts/capabilities/catalog',
      '/office-zones/OfficeZones/dev/broker/manifest-parts/capabilities/orders',
      '/office-zones/OfficeZones/dev/broker/onboarded-usage-plan-id',
      '/office-zones/OfficeZones/dev/broker/token-url',
      '/office-zones/OfficeZones/dev/broker/user-pool-id',
    ]);
    expect(names(stacks.consumers.get('product.web-shop')!).sort()).toEqual([
      '/office-zones/OfficeZones/dev/broker/clients/product.web-shop/secret-arn',
      '/office-zones/OfficeZones/dev/broker/manifest-parts/consumers/product.web-shop',
    ]);
    expect(names(stacks.consumers.get('partner.marketplace')!)).toEqual([
      '/office-zones/OfficeZones/dev/broker/manifest-parts/consumers/partner.marketplace',
    ]);
    for (const stack of [stacks.broker, ...stacks.consumers.values()])
      expect(JSON.stringify(Template.fromStack(stack).toJSON().Outputs ?? {})).not.toMatch(
        /ClientSecret|apiKey/,
      );
  });

  test("a consumer stack is attributed to its product (cost centre and Product tag) in the integration zone; a partner's to the broker", () => {
    const webShop = blueprint.frontOffice.products.find((p) => p.name === 'web-shop')!;
    expect(stacks.consumers.get('product.web-shop')!.costTags).toMatchObject({
      Zone: 'integration',
      Product: 'web-shop',
      CostCentre: webShop.costCentre,
      Owner: blueprint.broker.owner,
    });
    expect(stacks.consumers.get('partner.marketplace')!.costTags).toMatchObject({
      Zone: 'integration',
      Product: 'broker',
      CostCentre: blueprint.broker.costCentre,
    });
  });

  test('the published manifest names the REST API and the usage plan onboarded partners join', () => {
    const broker = stacks.broker;
    const [manifest] = Object.values(
      Template.fromStack(broker).findResources('AWS::SSM::Parameter', {
        Properties: { Name: '/office-zones/OfficeZones/dev/broker/manifest' },
      }),
    ) as any[];
    // The value is an Fn::Join of JSON text and references: what follows each field is its value.
    const parts: unknown[] = manifest.Properties.Value['Fn::Join'][1];
    const api = parts.slice(parts.findIndex((p) => typeof p === 'string' && p.includes('"api":')));
    const inApi = (field: string) =>
      api[api.findIndex((p) => typeof p === 'string' && p.endsWith(`"${field}":"`)) + 1];
    expect(inApi('id')).toEqual(broker.resolve(broker.broker.api.restApi.restApiId));
    expect(inApi('onboardedUsagePlanId')).toEqual(
      broker.resolve(broker.broker.defaultUsagePlan.usagePlanId),
    );
  });

  test("each product's credentials secret admits only that product's runtime role", () => {
    const template = Template.fromStack(stacks.consumers.get('product.web-shop')!);
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Condition: Match.objectLike({
              ArnNotLike: {
                'aws:PrincipalArn': Match.arrayWith([
                  {
                    'Fn::Join': [
                      '',
                      Match.arrayWith([':role/OfficeZones-dev-product-web-shop-runtime']),
                    ],
                  },
                ]),
              },
            }),
          }),
        ]),
      },
    });
  });
});
