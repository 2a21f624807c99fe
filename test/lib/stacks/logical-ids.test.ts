import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { consumerStackRefactor } from '../../../lib/stacks/migration';
import { allStacks } from '../../../lib/stacks/office-zones';
import { buildReference, referenceInput } from '../../helpers';

/**
 * Ids are a contract: renaming or moving a construct changes its logical id, and CloudFormation
 * replaces the resource: a new, empty table, queue or vault; a new key that cannot decrypt the
 * old data; new credentials every consumer must fetch again. This test pins the logical id of
 * every stateful and credential resource of the reference, so such a change fails here first.
 * A deliberate change updates this list, with a migration note in the CHANGELOG.
 */
const STATEFUL_AND_CREDENTIAL_TYPES = [
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupVault',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
];

test('the logical ids of every stateful and credential resource of the reference are pinned', () => {
  const input = referenceInput();
  input.organization = {
    frontOfficeOuIds: ['ou-abcd-11111111'],
    backOfficeOuIds: ['ou-abcd-22222222'],
  };
  const { stacks } = buildReference(input);
  const ids: Record<string, Record<string, string[]>> = {};
  for (const stack of allStacks(stacks)) {
    const byType: Record<string, string[]> = {};
    for (const [id, resource] of Object.entries<{ Type: string }>(
      Template.fromStack(stack).toJSON().Resources,
    )) {
      if (STATEFUL_AND_CREDENTIAL_TYPES.includes(resource.Type))
        (byType[resource.Type] ??= []).push(id);
    }
    ids[stack.stackName] = Object.fromEntries(
      Object.entries(byType)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, list]) => [type, list.sort()]),
    );
  }
  expect(ids).toEqual(EXPECTED);
});

const EXPECTED = {
  'OfficeZones-dev-BackOffice': {
    'AWS::Backup::BackupPlan': ['ZoneBackupPlan1EA993CE'],
    'AWS::Backup::BackupVault': ['ZoneBackupVault74EEF918'],
    'AWS::DynamoDB::Table': [
      'ZoneCatalogLedger20728D42',
      'ZoneOrdersInvoices59A7A17F',
      'ZoneOrdersLedger9667551E',
    ],
    'AWS::KMS::Key': ['ZoneKeyAF8AFA37'],
    'AWS::Logs::LogGroup': [
      'ZoneNetworkFlowLogsDA1A9C0E',
      'ZoneOrdersWorkflowFunctionLogsEB6BC7DF',
    ],
    'AWS::SQS::Queue': ['ZoneOrdersDeadLetterQueueCA6951AD', 'ZoneOrdersIntakeQueue03A14978'],
  },
  'OfficeZones-dev-BackOfficeOperations': {},
  'OfficeZones-dev-Broker': {
    'AWS::ApiGateway::RestApi': ['BrokerApiFC10C4DB'],
    'AWS::ApiGateway::UsagePlan': [
      'BrokerUsagePlansRate50Burst100F659A619',
      'BrokerUsagePlansRate5Burst10932ED6DD',
    ],
    'AWS::Cognito::UserPool': ['BrokerIdentityUserPoolAA2C25C1'],
    'AWS::Cognito::UserPoolDomain': ['BrokerIdentityUserPoolDomain9CA2305C'],
    'AWS::Cognito::UserPoolResourceServer': [
      'BrokerIdentityUserPoolCatalogResourceServer73C9D033',
      'BrokerIdentityUserPoolOrdersResourceServerD70A80BD',
    ],
    'AWS::KMS::Key': ['BrokerCredentialsKey3B8D687C', 'BrokerKey91C64100'],
    'AWS::Logs::LogGroup': [
      'BrokerApiAccessLogs6A00B414',
      'BrokerApiExecutionLogs42692666',
      'BrokerSecretRotationFunctionLogs7481CB5B',
    ],
  },
  ...Object.fromEntries(
    ['partner-marketplace', 'product-loyalty', 'product-web-shop'].map((consumer) => [
      `OfficeZones-dev-Consumer-${consumer}`,
      {
        'AWS::ApiGateway::ApiKey': ['ConsumerCredentialsApiKey453DCA0D'],
        'AWS::ApiGateway::UsagePlanKey': ['ConsumerCredentialsUsagePlanKey5B2107CF'],
        'AWS::Cognito::UserPoolClient': ['ConsumerClientACD289B1'],
        'AWS::SecretsManager::Secret': ['ConsumerCredentialsSecretA44DC9DC'],
      },
    ]),
  ),
  'OfficeZones-dev-FrontOfficeGuardrails': {},
  'OfficeZones-dev-Product-web-shop': {
    'AWS::Logs::LogGroup': ['ProductApiAccessLogs744905F6', 'ProductApiHandlerLogsAF58A59D'],
    'AWS::S3::Bucket': ['ProductWebLogBucketBACE6029', 'ProductWebSiteBucket8B987C4B'],
  },
  'OfficeZones-dev-Product-loyalty': {
    'AWS::DynamoDB::Table': ['ProductDataTableCC1565ED'],
    'AWS::S3::Bucket': ['ProductWebLogBucketBACE6029', 'ProductWebSiteBucket8B987C4B'],
  },
  'OfficeZones-dev-CostManagement': {
    'AWS::Logs::LogGroup': ['CostAllocationTagsHandlerLogs2B3C9D9A'],
  },
  'OfficeZones-dev-Organization': {},
};

/**
 * The credential resources of the reference's consumers as Office Zones 0.1.0 placed them, in
 * the broker stack (pinned then by this test): where a 0.1.0 deployment has them today.
 */
const BROKER_0_1_0 = {
  'AWS::ApiGateway::ApiKey': [
    'BrokerPartnerMarketplaceCredentialsApiKeyED1797FF',
    'BrokerProductLoyaltyCredentialsApiKeyDCE1544E',
    'BrokerProductWebShopCredentialsApiKeyD036D6D0',
  ],
  'AWS::ApiGateway::UsagePlanKey': [
    'BrokerPartnerMarketplaceCredentialsUsagePlanKey82078AC3',
    'BrokerProductLoyaltyCredentialsUsagePlanKey9DBDB0BD',
    'BrokerProductWebShopCredentialsUsagePlanKey914D5BD7',
  ],
  'AWS::Cognito::UserPoolClient': [
    'BrokerIdentityUserPoolPartnerMarketplaceClientF84410F9',
    'BrokerIdentityUserPoolProductLoyaltyClientB70BA9CD',
    'BrokerIdentityUserPoolProductWebShopClientC59EFAEE',
  ],
  'AWS::SecretsManager::Secret': [
    'BrokerPartnerMarketplaceCredentialsSecret12B913B0',
    'BrokerProductLoyaltyCredentialsSecretF6B99725',
    'BrokerProductWebShopCredentialsSecret1E5E7F1E',
  ],
};

describe('upgrading from 0.1.0: each consumer moves from the broker stack to its own', () => {
  const { stacks, blueprint } = buildReference();
  const mappings = consumerStackRefactor(blueprint);
  const templates = new Map(
    allStacks(stacks).map((s) => [s.stackName, Template.fromStack(s).toJSON().Resources]),
  );

  test('every mapping starts at a resource of the 0.1.0 broker template, and ends at one of the same type', () => {
    // The reference's broker template as 0.1.0 synthesized it: each logical id and its type.
    const before: Record<string, string> = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '..', '..', 'fixtures', 'broker-0.1.0-resources.json'),
        'utf8',
      ),
    );
    for (const m of mappings) {
      const type = before[m.Source.LogicalResourceId];
      expect({ source: m.Source.LogicalResourceId, type }).toEqual({
        source: m.Source.LogicalResourceId,
        type: templates.get(m.Destination.StackName)?.[m.Destination.LogicalResourceId]?.Type,
      });
    }
    // Every per-consumer resource of 0.1.0's broker moves: none is left to be deleted.
    const moved = new Set(mappings.map((m) => m.Source.LogicalResourceId));
    const consumerTypes = new Set(
      Object.keys(BROKER_0_1_0).concat(
        'AWS::SecretsManager::RotationSchedule',
        'AWS::SecretsManager::ResourcePolicy',
      ),
    );
    const left = Object.entries(before)
      .filter(([id, type]) => consumerTypes.has(type) && !moved.has(id))
      .map(([id]) => id);
    expect(left).toEqual([]);
  });

  test('the mappings start at the logical ids 0.1.0 gave every credential resource', () => {
    const sources = mappings.map((m) => m.Source.LogicalResourceId);
    for (const ids of Object.values(BROKER_0_1_0))
      for (const id of ids) expect(sources).toContain(id);
    expect(new Set(mappings.map((m) => m.Source.StackName))).toEqual(
      new Set(['OfficeZones-dev-Broker']),
    );
  });

  test('each mapping ends at a resource of a consumer stack, each once', () => {
    const consumerStacks = [...stacks.consumers.values()].map((s) => s.stackName);
    for (const m of mappings) {
      expect(consumerStacks).toContain(m.Destination.StackName);
      expect(templates.get(m.Destination.StackName)).toHaveProperty([
        m.Destination.LogicalResourceId,
      ]);
    }
    const destinations = mappings.map(
      (m) => `${m.Destination.StackName}.${m.Destination.LogicalResourceId}`,
    );
    expect(new Set(destinations).size).toBe(destinations.length);
  });

  test('every resource of a consumer stack but its manifest part comes from the broker of 0.1.0', () => {
    for (const [name, stack] of stacks.consumers) {
      const moved = new Set(
        mappings
          .filter((m) => m.Destination.StackName === stack.stackName)
          .map((m) => m.Destination.LogicalResourceId),
      );
      const resources = Object.entries(templates.get(stack.stackName)!).filter(
        ([id, r]: [string, any]) =>
          r.Type !== 'AWS::CDK::Metadata' && !id.startsWith('ManifestParameter'),
      );
      expect({
        name,
        unmapped: resources.map(([id]) => id).filter((id) => !moved.has(id)),
      }).toEqual({ name, unmapped: [] });
    }
  });
});
