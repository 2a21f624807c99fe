import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * Policies of a synthesized template, made concrete for the IAM engine: the values CloudFormation
 * fills in at deploy time (account, region, partition, references to resources of the template)
 * become fixed, plausible values. This resolves intrinsic functions; it does not evaluate policies:
 * `@cloud-copilot/iam-simulate` does that.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-2';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** A resource's ARN as the engine will see it: its physical name if the template sets one, else its logical id. */
export function arnOf(resources: Resources, logicalId: string): string {
  const resource = resources[logicalId];
  if (!resource) return `arn:aws:unknown:${REGION}:${ACCOUNT}:${logicalId}`;
  const p = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${logicalId}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${REGION}:${ACCOUNT}:${p.TopicName ?? logicalId}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${p.QueueName ?? logicalId}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${p.TableName ?? logicalId}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${ACCOUNT}:role/${typeof p.RoleName === 'string' ? p.RoleName : logicalId}`;
    case 'AWS::CloudWatch::Alarm':
      return `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${logicalId}`;
    case 'AWS::Backup::BackupVault':
      return `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${p.BackupVaultName ?? logicalId}`;
    default:
      return `arn:aws:${resource.Type.split('::')[1].toLowerCase()}:${REGION}:${ACCOUNT}:${logicalId}`;
  }
}

/** What `Ref` returns for a resource (the ARN where CloudFormation returns one). */
function refOf(resources: Resources, logicalId: string): string {
  const type = resources[logicalId]?.Type;
  if (type === 'AWS::SNS::Topic') return arnOf(resources, logicalId);
  if (type === 'AWS::SQS::Queue') {
    const name = resources[logicalId].Properties?.QueueName ?? logicalId;
    return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  }
  if (type === 'AWS::IAM::Role' || type === 'AWS::DynamoDB::Table' || type === 'AWS::KMS::Key') {
    return arnOf(resources, logicalId).split('/').pop()!;
  }
  return logicalId;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Stack',
};

/** Replaces the intrinsic functions of a template value with what CloudFormation would put there. */
export function concrete(resources: Resources, value: unknown): any {
  if (Array.isArray(value)) return value.map((v) => concrete(resources, v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, any];
    if (fn === 'Ref') return PSEUDO[arg] ?? refOf(resources, arg);
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      if (attribute === 'Arn') return arnOf(resources, id);
      if (attribute === 'QueueName' || attribute === 'TopicName')
        return arnOf(resources, id).split(':').pop();
      return `${id}.${attribute}`;
    }
    if (fn === 'Fn::Join') {
      const [sep, parts] = arg;
      return (concrete(resources, parts) as unknown[]).join(sep);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, concrete(resources, v)]));
}

/** One request, and every policy that decides it. */
export interface AccessRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Request context as AWS sends it, e.g. `aws:SourceAccount` for a service principal. */
  readonly context?: Record<string, string | string[]>;
  readonly identityPolicies?: unknown[];
  readonly resourcePolicy?: unknown;
}

/** `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`, as the IAM engine decides the request. */
export async function decide(request: AccessRequest): Promise<string> {
  const principalIsService = !request.principal.startsWith('arn:');
  const context: Record<string, string | string[]> = {
    'aws:PrincipalIsAWSService': principalIsService ? 'true' : 'false',
    'aws:SecureTransport': 'true',
    ...(principalIsService
      ? {}
      : { 'aws:PrincipalArn': request.principal, 'aws:PrincipalAccount': ACCOUNT }),
    ...request.context,
  };
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({
        name: `identity${i}`,
        policy,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}
