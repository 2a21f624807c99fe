import { Template } from 'aws-cdk-lib/assertions';
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
    'AWS::ApiGateway::ApiKey': [
      'BrokerPartnerMarketplaceCredentialsApiKeyED1797FF',
      'BrokerProductLoyaltyCredentialsApiKeyDCE1544E',
      'BrokerProductWebShopCredentialsApiKeyD036D6D0',
    ],
    'AWS::ApiGateway::RestApi': ['BrokerApiFC10C4DB'],
    'AWS::ApiGateway::UsagePlan': [
      'BrokerUsagePlansRate50Burst100F659A619',
      'BrokerUsagePlansRate5Burst10932ED6DD',
    ],
    'AWS::ApiGateway::UsagePlanKey': [
      'BrokerPartnerMarketplaceCredentialsUsagePlanKey82078AC3',
      'BrokerProductLoyaltyCredentialsUsagePlanKey9DBDB0BD',
      'BrokerProductWebShopCredentialsUsagePlanKey914D5BD7',
    ],
    'AWS::Cognito::UserPool': ['BrokerIdentityUserPoolAA2C25C1'],
    'AWS::Cognito::UserPoolClient': [
      'BrokerIdentityUserPoolPartnerMarketplaceClientF84410F9',
      'BrokerIdentityUserPoolProductLoyaltyClientB70BA9CD',
      'BrokerIdentityUserPoolProductWebShopClientC59EFAEE',
    ],
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
    'AWS::SecretsManager::Secret': [
      'BrokerPartnerMarketplaceCredentialsSecret12B913B0',
      'BrokerProductLoyaltyCredentialsSecretF6B99725',
      'BrokerProductWebShopCredentialsSecret1E5E7F1E',
    ],
  },
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
