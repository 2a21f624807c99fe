import { CfnResource, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import {
  asList,
  BoundaryIndex,
  findingPart,
  isObject,
  isRef,
  patternOf,
  ResourceRef,
  StackInfo,
} from '../boundary-index';
import { allows, hasScopingCondition, principalsOf, Statement, statementsOf } from '../iam';

/** Where each resource type keeps its resource policy (a path of property names; `[]` = each element). */
const POLICY_PATHS: Record<string, string[][]> = {
  'AWS::S3::BucketPolicy': [['PolicyDocument']],
  'AWS::SQS::QueuePolicy': [['PolicyDocument']],
  'AWS::SNS::TopicPolicy': [['PolicyDocument']],
  'AWS::KMS::Key': [['KeyPolicy']],
  'AWS::KMS::ReplicaKey': [['KeyPolicy']],
  'AWS::SecretsManager::ResourcePolicy': [['ResourcePolicy']],
  'AWS::DynamoDB::Table': [
    ['ResourcePolicy', 'PolicyDocument'],
    ['StreamSpecification', 'ResourcePolicy', 'PolicyDocument'],
  ],
  'AWS::DynamoDB::GlobalTable': [
    ['Replicas', '[]', 'ResourcePolicy', 'PolicyDocument'],
    ['Replicas', '[]', 'ReplicaStreamSpecification', 'ResourcePolicy', 'PolicyDocument'],
  ],
  'AWS::Events::EventBus': [['Policy']],
  'AWS::Logs::ResourcePolicy': [['PolicyDocument']],
  'AWS::Backup::BackupVault': [['AccessPolicy']],
  'AWS::ECR::Repository': [['RepositoryPolicyText']],
  'AWS::EFS::FileSystem': [['FileSystemPolicy']],
  'AWS::ApiGateway::RestApi': [['Policy']],
  'AWS::OpenSearchService::Domain': [['AccessPolicies']],
  'AWS::IAM::Role': [['AssumeRolePolicyDocument']],
};

/**
 * A back-office resource policy admits a principal other than the back office's own roles and
 * the broker's integration roles. The account itself (`:root`, which hands the decision to IAM
 * policies that the cross-zone grant rule checks) and AWS services tied to this account or a
 * resource by a condition are also admitted; a role's trust policy may name any service, and the
 * principals the blueprint declares may assume that role (`declaredAssumers`).
 */
export function backOfficeResourcePolicy(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'back-office') return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const props = self.resource.Properties ?? {};
  const findings = new Set<string>();

  if (
    self.resource.Type === 'AWS::Lambda::Permission' ||
    self.resource.Type === 'AWS::Lambda::LayerVersionPermission'
  ) {
    const scoped = props.SourceAccount !== undefined || props.SourceArn !== undefined;
    const principal = props.Principal;
    const statement: Statement = {
      Effect: 'Allow',
      Principal: servicePrincipal(principal) ? { Service: principal } : { AWS: principal },
    };
    if (scoped) statement.Condition = { StringEquals: { 'aws:SourceAccount': 'scoped' } };
    for (const f of inadmissible(index, self, statement, false)) findings.add(f);
    return result(findings);
  }
  if (self.resource.Type === 'AWS::Events::EventBusPolicy') {
    const statement = isObject(props.Statement)
      ? props.Statement
      : { Effect: 'Allow', Principal: props.Principal ?? '*' };
    for (const f of inadmissible(index, self, statement, false)) findings.add(f);
    return result(findings);
  }

  const paths = POLICY_PATHS[self.resource.Type];
  if (!paths) return NagRuleCompliance.NOT_APPLICABLE;
  const trust = self.resource.Type === 'AWS::IAM::Role';
  for (const path of paths) {
    for (const document of valuesAt(props, path)) {
      for (const statement of statementsOf(document)) {
        for (const f of inadmissible(index, self, statement, trust)) findings.add(f);
      }
    }
  }
  return result(findings);
}

function result(findings: Set<string>): NagRuleResult {
  return findings.size > 0 ? [...findings].map(findingPart) : NagRuleCompliance.COMPLIANT;
}

function servicePrincipal(value: unknown): boolean {
  return typeof value === 'string' && /\.amazonaws\.com(\.cn)?$/.test(value);
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return value === undefined ? [] : [value];
  const [head, ...rest] = path;
  if (head === '[]') return asList(value).flatMap((v) => valuesAt(v, rest));
  if (!isObject(value)) return [];
  return valuesAt(value[head], rest);
}

/** The principals an allowing statement admits that the back office does not allow. */
function inadmissible(
  index: BoundaryIndex,
  self: ResourceRef,
  statement: Statement,
  trust: boolean,
): string[] {
  if (!allows(statement)) return [];
  if (statement.NotPrincipal !== undefined) return ['NotPrincipal'];
  const out: string[] = [];
  for (const principal of principalsOf(statement)) {
    switch (principal.kind) {
      case '*':
        out.push('Principal::*');
        break;
      case 'Service':
        if (!trust && !hasScopingCondition(statement)) {
          out.push(`Service::${patternOf(index.pieces(principal.value, self.stack))}`);
        }
        break;
      case 'AWS': {
        const verdict = awsPrincipal(index, principal.value, self.stack, statement);
        if (verdict && !(trust && declaredAssumer(index, self, principal.value))) out.push(verdict);
        break;
      }
      default:
        out.push(`${principal.kind}::${patternOf(index.pieces(principal.value, self.stack))}`);
    }
  }
  return out;
}

/** Whether a principal of a role's trust policy is one the blueprint declares may assume that role. */
function declaredAssumer(index: BoundaryIndex, role: ResourceRef, value: unknown): boolean {
  const name = index.physicalName(role);
  const declared = name ? index.props.declaredAssumers?.[name] : undefined;
  if (!declared) return false;
  const anyPartition = (arn: string) =>
    arn.replace(/^arn:(?:\$\{AWS::Partition\}|aws[a-z-]*):/, 'arn:*:');
  const text = anyPartition(patternOf(index.pieces(value, role.stack)));
  return declared.some((arn) => anyPartition(arn) === text);
}

/** Undefined when an AWS principal is admitted; otherwise the finding. */
function awsPrincipal(
  index: BoundaryIndex,
  value: unknown,
  from: StackInfo,
  statement: Statement,
): string | undefined {
  const pieces = index.pieces(value, from);
  const ref = pieces.find(isRef)?.ref;
  if (ref) {
    if (ref.resource.Type === 'AWS::IAM::Role' && admittedRole(index, ref)) return undefined;
    return `Principal::${ref.stack.name}/${ref.logicalId}`;
  }
  const text = patternOf(pieces);
  // The own account: the template's `${AWS::AccountId}`, or the stack's account when its env names it.
  const own = Token.isUnresolved(from.stack.account)
    ? '\\$\\{AWS::AccountId\\}'
    : `(?:\\$\\{AWS::AccountId\\}|${from.stack.account})`;
  const arn = `^arn:(?:\\$\\{AWS::Partition\\}|aws[a-z-]*):iam::${own}:`;
  if (new RegExp(`^${own}$`).test(text) || new RegExp(`${arn}root$`).test(text)) return undefined;
  const role = new RegExp(`${arn}role/(?:.*/)?([^/]+)$`).exec(text);
  if (role && admittedRoleName(index, role[1])) return undefined;
  if (integrationAccountAdmitted(index, text, from, statement)) return undefined;
  return `Principal::${text}`;
}

/**
 * Whether an account principal is the integration account of this back office (by its
 * `integrationAccounts`), in a statement that admits only the broker's integration roles of that
 * account by an `aws:PrincipalArn` condition.
 */
function integrationAccountAdmitted(
  index: BoundaryIndex,
  text: string,
  from: StackInfo,
  statement: Statement,
): boolean {
  const account = /^(?:arn:[^:]+:iam::)?([0-9]{12})(?::root)?$/.exec(text)?.[1];
  if (!account || Token.isUnresolved(from.stack.account)) return false;
  if (index.props.integrationAccounts?.[from.stack.account] !== account) return false;
  const condition = isObject(statement.Condition) ? statement.Condition : {};
  const named = ['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike'].flatMap((op) => {
    const block = condition[op];
    return isObject(block) ? asList(block['aws:PrincipalArn']) : [];
  });
  if (named.length === 0) return false;
  return named.every((arn) => {
    const role = new RegExp(
      `^arn:(?:\\$\\{AWS::Partition\\}|aws[a-z-]*):iam::${account}:role/(?:.*/)?([^/*?]+)$`,
    ).exec(patternOf(index.pieces(arn, from)));
    return role !== null && index.props.integrationRoleNames.includes(role[1]);
  });
}

function admittedRole(index: BoundaryIndex, role: ResourceRef): boolean {
  if (role.stack.zone === 'back-office') return true;
  const name = index.physicalName(role);
  return name !== undefined && index.props.integrationRoleNames.includes(name);
}

function admittedRoleName(index: BoundaryIndex, name: string): boolean {
  if (index.props.integrationRoleNames.includes(name)) return true;
  for (const ref of index.resources()) {
    if (
      ref.stack.zone === 'back-office' &&
      ref.resource.Type === 'AWS::IAM::Role' &&
      index.physicalName(ref) === name
    ) {
      return true;
    }
  }
  return false;
}
