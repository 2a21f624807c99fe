/**
 * How finance attributes the cost of resources that cannot carry tags in a template. Data, kept
 * here so that a reviewer can read it and a test can check it covers every such type the
 * blueprint builds.
 *
 * - `no-charge`: the resource itself costs nothing (policies, permissions, routes of a VPC).
 * - `billed-through`: its usage is billed on another resource, named by one of `via` (a property
 *   that refers to it), which carries the tags.
 * - `stack-tags`: AWS bills and can tag it, but CDK cannot write its tags into the template;
 *   CloudFormation gives it the stack's tags at deploy.
 */
export type UntaggableAttribution =
  | { readonly kind: 'no-charge'; readonly note?: string }
  | {
      readonly kind: 'billed-through';
      /** The type of the resource it is billed on. */
      readonly parent: string;
      /** Properties that refer to the parent (`Ref` or `Fn::GetAtt`), in order of preference. */
      readonly via: readonly string[];
      readonly note?: string;
    }
  | { readonly kind: 'stack-tags'; readonly note?: string };

const free = (note?: string): UntaggableAttribution => ({ kind: 'no-charge', note });
const through = (parent: string, via: string | string[], note?: string): UntaggableAttribution => ({
  kind: 'billed-through',
  parent,
  via: Array.isArray(via) ? via : [via],
  note,
});

const REST_API = through('AWS::ApiGateway::RestApi', 'RestApiId');
const HTTP_API = through('AWS::ApiGatewayV2::Api', 'ApiId');
const USER_POOL = through('AWS::Cognito::UserPool', 'UserPoolId');

/** By CloudFormation type. `Custom::*` types are looked up as `Custom::*`. */
export const UNTAGGABLE_ATTRIBUTION: Readonly<Record<string, UntaggableAttribution>> = {
  // Identity and access: IAM is free.
  'AWS::IAM::Policy': free(),
  'AWS::IAM::ManagedPolicy': free(),
  'AWS::IAM::InstanceProfile': free(),
  'AWS::Lambda::Permission': free(),
  // Resource policies and settings.
  'AWS::S3::BucketPolicy': free(),
  'AWS::SQS::QueuePolicy': free(),
  'AWS::SQS::QueueInlinePolicy': free(),
  'AWS::SNS::TopicPolicy': free(),
  'AWS::SNS::TopicInlinePolicy': free(),
  'AWS::SecretsManager::ResourcePolicy': free(),
  'AWS::Logs::ResourcePolicy': free(),
  'AWS::Logs::MetricFilter': free(),
  'AWS::KMS::Alias': free(),
  'AWS::CloudFront::OriginAccessControl': free(),
  'AWS::CloudFront::CachePolicy': free(),
  'AWS::CloudFront::ResponseHeadersPolicy': free(),
  'AWS::CloudFront::OriginRequestPolicy': free(),
  'AWS::ApiGateway::Account': free('the account-wide logging role setting'),
  'AWS::ApiGateway::UsagePlanKey': free(),
  'AWS::Lambda::EventInvokeConfig': free(),
  'AWS::CDK::Metadata': free('CDK version reporting'),
  // Networking that AWS does not charge for.
  'AWS::EC2::SubnetRouteTableAssociation': free(),
  'AWS::EC2::Route': free(),
  'AWS::EC2::VPCGatewayAttachment': free(),
  'AWS::EC2::SecurityGroupIngress': free(),
  'AWS::EC2::SecurityGroupEgress': free(),
  'AWS::EC2::NetworkAclEntry': free(),
  'AWS::EC2::SubnetNetworkAclAssociation': free(),
  // Parts of a billed parent.
  'AWS::ApiGateway::Method': REST_API,
  'AWS::ApiGateway::Resource': REST_API,
  'AWS::ApiGateway::Deployment': REST_API,
  'AWS::ApiGateway::RequestValidator': REST_API,
  'AWS::ApiGateway::Model': REST_API,
  'AWS::ApiGateway::Authorizer': REST_API,
  'AWS::ApiGateway::GatewayResponse': REST_API,
  'AWS::ApiGatewayV2::Route': HTTP_API,
  'AWS::ApiGatewayV2::Integration': HTTP_API,
  'AWS::ApiGatewayV2::Authorizer': HTTP_API,
  'AWS::ApiGatewayV2::Deployment': HTTP_API,
  'AWS::Cognito::UserPoolClient': through(
    'AWS::Cognito::UserPool',
    'UserPoolId',
    'machine-to-machine tokens are billed per app client on the user pool',
  ),
  'AWS::Cognito::UserPoolResourceServer': USER_POOL,
  'AWS::Cognito::UserPoolDomain': USER_POOL,
  'AWS::Cognito::UserPoolGroup': USER_POOL,
  'AWS::Cognito::UserPoolUser': USER_POOL,
  'AWS::Cognito::LogDeliveryConfiguration': USER_POOL,
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': USER_POOL,
  'AWS::Cognito::ManagedLoginBranding': USER_POOL,
  'AWS::WAFv2::WebACLAssociation': through('AWS::WAFv2::WebACL', 'WebACLArn'),
  'AWS::WAFv2::LoggingConfiguration': through('AWS::WAFv2::WebACL', 'ResourceArn'),
  'AWS::SNS::Subscription': through('AWS::SNS::Topic', 'TopicArn'),
  'AWS::Logs::SubscriptionFilter': through('AWS::Logs::LogGroup', 'LogGroupName'),
  'AWS::SecretsManager::RotationSchedule': through('AWS::SecretsManager::Secret', 'SecretId'),
  'AWS::Lambda::Url': through('AWS::Lambda::Function', 'TargetFunctionArn'),
  'AWS::Lambda::Version': through('AWS::Lambda::Function', 'FunctionName'),
  'AWS::Lambda::Alias': through('AWS::Lambda::Function', 'FunctionName'),
  'AWS::Backup::BackupSelection': through('AWS::Backup::BackupPlan', 'BackupPlanId'),
  'Custom::*': through(
    'AWS::Lambda::Function',
    'ServiceToken',
    'a custom resource costs the invocations of its provider function',
  ),
  'AWS::CloudFormation::CustomResource': through(
    'AWS::Lambda::Function',
    'ServiceToken',
    'a custom resource costs the invocations of its provider function',
  ),
  // Billed and taggable in AWS, but not from a template through CDK.
  'AWS::DynamoDB::GlobalTable': {
    kind: 'stack-tags',
    note: 'tags belong to its replicas; CloudFormation applies the stack tags',
  },
};

/** The attribution of an untaggable type, or undefined when the table has none. */
export function untaggableAttribution(cfnType: string): UntaggableAttribution | undefined {
  if (cfnType.startsWith('Custom::')) return UNTAGGABLE_ATTRIBUTION['Custom::*'];
  return UNTAGGABLE_ATTRIBUTION[cfnType];
}
