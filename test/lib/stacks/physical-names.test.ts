import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { parseBlueprint } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { referenceInput, testApp } from '../../helpers';

/**
 * Physical names AWS requires to be unique in an account (and region): a second resource of the
 * same name fails to create. Each entry is the property (path) that names the resource.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
const UNIQUE_NAMES: Readonly<Record<string, readonly string[]>> = {
  'AWS::Backup::BackupPlan': ['BackupPlan', 'BackupPlanName'],
  'AWS::Backup::BackupVault': ['BackupVaultName'],
  'AWS::Budgets::Budget': ['Budget', 'BudgetName'],
  'AWS::CE::CostCategory': ['Name'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::Cognito::UserPoolDomain': ['Domain'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Events::Rule': ['Name'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Organizations::Policy': ['Name'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::SSM::Parameter': ['Name'],
  'AWS::WAFv2::WebACL': ['Name'],
};

/**
 * `...Name` properties of the reference that are not unique in an account: unique within a parent
 * (a pool, an API, a role), free-form labels, or references to another resource.
 */
const NOT_UNIQUE_NAMES = new Set([
  'AWS::ApiGateway::ApiKey.Name', // API keys may share a name (the CLI tells them apart by usage plan)
  'AWS::ApiGateway::Authorizer.Name', // per REST API
  'AWS::ApiGateway::Method.OperationName', // a label
  'AWS::ApiGateway::Model.Name', // per REST API
  'AWS::ApiGateway::RestApi.Name', // REST API names may repeat
  'AWS::ApiGateway::Stage.StageName', // per REST API
  'AWS::ApiGateway::UsagePlan.UsagePlanName', // usage plan names may repeat
  'AWS::ApiGatewayV2::Api.Name', // HTTP API names may repeat
  'AWS::ApiGatewayV2::Stage.StageName', // per HTTP API
  'AWS::CloudWatch::Alarm.MetricName', // the metric watched
  'AWS::Cognito::UserPool.UserPoolName', // pool names may repeat
  'AWS::Cognito::UserPoolClient.ClientName', // per pool
  'AWS::Cognito::UserPoolResourceServer.Name', // per pool
  'AWS::EC2::FlowLog.LogGroupName', // the log group it writes to
  'AWS::EC2::VPCEndpoint.ServiceName', // the service reached
  'AWS::IAM::Policy.PolicyName', // inline, per role
  'AWS::Lambda::EventSourceMapping.FunctionName', // the function invoked
  'AWS::Lambda::Permission.FunctionName', // the function invoked
  'AWS::SNS::Topic.DisplayName', // a label
]);

type Resource = {
  Type: string;
  DeletionPolicy?: string;
  Properties?: Record<string, unknown>;
};

/**
 * The value of a name that does not depend on another resource of the stack: a literal, or a
 * join of literals and pseudo parameters (the same in every deploy to one account and region).
 */
function fixedName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref === 'string' && ref.startsWith('AWS::')) return `\${${ref}}`;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join) {
    const parts = join[1].map(fixedName);
    return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

function at(properties: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    properties,
  );
}

/** Every resource of a set of stacks that carries a fixed, account-unique name. */
function namedResources(stacks: readonly CloudFormationStackArtifact[]) {
  return stacks.flatMap((stack) =>
    Object.entries<Resource>(stack.template.Resources).flatMap(([logicalId, resource]) => {
      const path = UNIQUE_NAMES[resource.Type];
      const name = path && fixedName(at(resource.Properties, path));
      return name === undefined
        ? []
        : [{ stack: stack.stackName, logicalId, type: resource.Type, name, resource }];
    }),
  );
}

/** The reference for one environment, in an app of its own, synthesized. */
function synthesize(environment: string, domainPrefix: string) {
  const input = referenceInput();
  input.environment = environment;
  input.broker.domainPrefix = domainPrefix; // the blueprint's to choose, per environment
  input.organization = {
    frontOfficeOuIds: ['ou-ab12-frontoff1'],
    backOfficeOuIds: ['ou-ab12-backoff01'],
  };
  const app = testApp();
  buildOfficeZones(app, parseBlueprint(input));
  return app.synth();
}

describe('physical names and retained resources of the reference', () => {
  const dev = synthesize('dev', 'northwind-retail-dev');
  const prod = synthesize('prod', 'northwind-retail-prod');

  test('every name-like property is classified: unique in the account, or not', () => {
    const unclassified = new Set<string>();
    for (const stack of [...dev.stacksRecursively, ...prod.stacksRecursively]) {
      for (const resource of Object.values<Resource>(stack.template.Resources)) {
        for (const key of Object.keys(resource.Properties ?? {})) {
          if (!/Name$|^Domain$/.test(key)) continue;
          const known =
            UNIQUE_NAMES[resource.Type]?.[0] === key ||
            NOT_UNIQUE_NAMES.has(`${resource.Type}.${key}`);
          if (!known) unclassified.add(`${resource.Type}.${key}`);
        }
      }
    }
    expect([...unclassified].sort()).toEqual([]);
  });

  test('fails when a retained resource has a fixed name but is not RetainExceptOnCreate: a failed first deploy could not be retried', () => {
    const named = namedResources([...dev.stacksRecursively, ...prod.stacksRecursively]);
    expect(named.length).toBeGreaterThan(10);
    const blocking = named
      .filter((r) => r.resource.DeletionPolicy === 'Retain')
      .map((r) => `${r.stack}/${r.logicalId} (${r.type} ${r.name})`);
    expect(blocking).toEqual([]);
    // What the kind covers in the reference: ledgers, the vault and the plan.
    const retainedExceptOnCreate = named
      .filter((r) => r.stack === 'OfficeZones-dev-BackOffice')
      .filter((r) => r.resource.DeletionPolicy === 'RetainExceptOnCreate')
      .map((r) => r.type)
      .sort();
    expect(retainedExceptOnCreate).toEqual([
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupVault',
      'AWS::DynamoDB::Table',
      'AWS::DynamoDB::Table',
      'AWS::DynamoDB::Table',
    ]);
  });

  // The zones and products of two environments may share an account (dev and prod in one
  // sandbox). The management stage's stacks are the organisation's: one per management account.
  test('fails when two environments in one account would create resources of the same name', () => {
    const names = (asm: typeof dev) =>
      new Map(
        namedResources(asm.stacks).map((r) => [`${r.type} ${r.name}`, `${r.stack}/${r.logicalId}`]),
      );
    const inDev = names(dev);
    const shared = [...names(prod)]
      .filter(([name]) => inDev.has(name))
      .map(([name, where]) => `${name}: ${inDev.get(name)} and ${where}`);
    expect(shared).toEqual([]);
    expect(inDev.size).toBeGreaterThan(10);
  });

  test('the organisation policies of two environments have names of their own', () => {
    const policies = (asm: typeof dev) =>
      namedResources(asm.stacksRecursively)
        .filter((r) => r.type === 'AWS::Organizations::Policy')
        .map((r) => r.name);
    const inDev = policies(dev);
    expect(inDev).toHaveLength(4);
    expect(policies(prod).filter((name) => inDev.includes(name))).toEqual([]);
  });
});
