import * as fs from 'node:fs';
import { cloud_assembly_schema as cxschema, cx_api } from 'aws-cdk-lib';
import type { AccountQuotas } from '../blueprint';

/**
 * CloudFormation's per-stack limits, checked by Office Zones on every synth whatever
 * `CDK_VALIDATION` or `@aws-cdk/core:stackResourceLimit` say.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const CLOUDFORMATION_LIMITS = {
  /** Resources declared in one template. */
  resourcesPerStack: 500,
  /** Outputs declared in one template. */
  outputsPerStack: 200,
  /** Parameters declared in one template. */
  parametersPerStack: 200,
  /** Mappings declared in one template. */
  mappingsPerStack: 200,
  /** Template body size, in bytes, when the template is passed through S3 (as `cdk deploy` does). */
  templateBytes: 1_000_000,
} as const;

/**
 * The size of an SSM parameter's value, in bytes, by tier.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
export const SSM_PARAMETER_LIMITS = { Standard: 4096, Advanced: 8192 } as const;

/** A per-account (or per account and region) quota: its name in Service Quotas, its default, its page. */
export interface AccountQuota {
  /** The key in the blueprint's `deployment.accountQuotas`. */
  readonly key: keyof AccountQuotas;
  /**
   * The CloudFormation type whose resources count against it; `AWS::CloudFormation::Stack` counts
   * the stacks themselves (top-level or nested-stage, each is one CloudFormation stack).
   */
  readonly resourceType: string;
  /**
   * Which resources of the type count, when not all do.
   * @default - every resource of the type
   */
  readonly counts?: (properties: Readonly<Record<string, unknown>>) => boolean;
  /** The quota as AWS names it. */
  readonly name: string;
  /** AWS's default value. */
  readonly defaultValue: number;
  /** Whether it counts per account and region (`true`) or per account. */
  readonly perRegion: boolean;
  /** The AWS page that states it. */
  readonly source: string;
}

/**
 * The account quotas a blueprint can exceed: every product, consumer or capability adds resources
 * that count against them. Defaults as AWS documents them (November 2026); an account with a raised
 * quota declares it in the blueprint's `deployment.accountQuotas`.
 */
export const ACCOUNT_QUOTAS: readonly AccountQuota[] = [
  {
    key: 'cloudFrontDistributions',
    resourceType: 'AWS::CloudFront::Distribution',
    name: 'Distributions per AWS account',
    defaultValue: 500,
    perRegion: false,
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html',
  },
  {
    key: 'cloudFrontOriginAccessControls',
    resourceType: 'AWS::CloudFront::OriginAccessControl',
    name: 'Origin access controls per AWS account',
    defaultValue: 100,
    perRegion: false,
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html',
  },
  {
    key: 'iamRoles',
    resourceType: 'AWS::IAM::Role',
    name: 'Roles in an AWS account',
    defaultValue: 1000,
    perRegion: false,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  {
    key: 'apiGatewayUsagePlans',
    resourceType: 'AWS::ApiGateway::UsagePlan',
    name: 'Usage plans per account per Region',
    defaultValue: 300,
    perRegion: true,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  {
    key: 'apiGatewayApiKeys',
    resourceType: 'AWS::ApiGateway::ApiKey',
    name: 'API keys per account per Region',
    defaultValue: 10_000,
    perRegion: true,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  {
    key: 'cloudFormationStacks',
    resourceType: 'AWS::CloudFormation::Stack',
    name: 'Stack count',
    defaultValue: 2000,
    perRegion: true,
    source:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  },
  {
    key: 'cognitoAppClients',
    resourceType: 'AWS::Cognito::UserPoolClient',
    name: 'App clients per user pool',
    defaultValue: 1000,
    perRegion: true,
    source: 'https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html',
  },
  {
    key: 'ssmStandardParameters',
    resourceType: 'AWS::SSM::Parameter',
    counts: (p) => p.Tier === undefined || p.Tier === 'Standard',
    name: 'Number of parameters (Standard tier)',
    defaultValue: 10_000,
    perRegion: true,
    source:
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
  },
  {
    key: 'budgets',
    resourceType: 'AWS::Budgets::Budget',
    name: 'Budgets per account',
    defaultValue: 20_000,
    perRegion: false,
    source:
      'https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html',
  },
];

/** One synthesized template, as the limit checks read it. */
export interface SynthesizedTemplate {
  /** The stack's name, e.g. `OfficeZones-dev-Broker`. */
  readonly stackName: string;
  /** The account the stack deploys to, or `undefined` when environment-agnostic. */
  readonly account?: string;
  /** The region the stack deploys to, or `undefined` when environment-agnostic. */
  readonly region?: string;
  /** The template, as CloudFormation receives it. */
  readonly template: CfnTemplate;
  /** The template file's size in bytes. */
  readonly bytes: number;
  /**
   * The construct path of each resource, by logical id, to name what fills a stack.
   * @default - the `aws:cdk:path` metadata of the template, where present
   */
  readonly constructPaths?: Readonly<Record<string, string>>;
}

/** The parts of a CloudFormation template the limit checks read. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A limit a synthesized app exceeds: what, where, how many, what causes it and what to do. */
export interface LimitProblem {
  /** The stack, or the account (and region) for an account quota. */
  readonly scope: string;
  /** The limit as AWS names it. */
  readonly limit: string;
  /** What the app declares. */
  readonly count: number;
  /** The most AWS allows. */
  readonly max: number;
  /** Where the count comes from. */
  readonly cause: string;
  /** What to do. */
  readonly fix: string;
}

/** One line per problem: `[scope] limit: count exceeds max (cause). Fix: fix`. */
export function formatLimitProblem(p: LimitProblem): string {
  return `[${p.scope}] ${p.limit}: ${p.count.toLocaleString('en-US')} exceeds ${p.max.toLocaleString('en-US')} (${p.cause}). Fix: ${p.fix}`;
}

/**
 * Checks every template of a synthesized app against CloudFormation's per-stack limits, the SSM
 * parameter sizes of their tiers, and the account quotas their resources count against.
 *
 * Stacks without an account (environment-agnostic, as the quick start builds them) are counted
 * as one account; stacks with an explicit `env` are counted per account (and region where the
 * quota is regional). Quotas count only what these templates create: what the account already
 * holds also counts, so the fix names the quota to raise.
 *
 * @param quotas raised account quotas (`deployment.accountQuotas` of the blueprint)
 */
export function limitProblems(
  templates: readonly SynthesizedTemplate[],
  quotas: AccountQuotas = {},
): LimitProblem[] {
  return [
    ...templates.flatMap(stackLimitProblems),
    ...templates.flatMap(ssmParameterProblems),
    ...accountQuotaProblems(templates, quotas),
  ];
}

/**
 * The largest contributors to a stack's resources, by construct path below the stack. Siblings
 * that differ only in a name (one construct per product, `ProductWebShopCredentials`,
 * `ProductLoyaltyCredentials`, ...) are counted together as `Broker/*Credentials`.
 */
function contributors(t: SynthesizedTemplate, top = 3): string {
  const keys = Object.entries(t.template.Resources ?? {}).map(([logicalId, resource]) => {
    const path = t.constructPaths?.[logicalId] ?? resource.Metadata?.['aws:cdk:path'];
    return typeof path === 'string'
      ? path.replace(/^\//, '').split('/').slice(1, 3).join('/')
      : '(no construct path)';
  });
  const family = (key: string) => {
    const [parent, child] = key.split('/');
    const words = child?.match(/[A-Z][a-z0-9]*/g);
    return words && words.length > 1 ? `${parent}/*${words[words.length - 1]}` : key;
  };
  const members = new Map<string, Set<string>>();
  for (const key of keys)
    members.set(family(key), (members.get(family(key)) ?? new Set()).add(key));
  const counts = new Map<string, number>();
  for (const key of keys) {
    const group = (members.get(family(key))?.size ?? 0) >= 3 ? family(key) : key;
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([key, n]) => {
      const size = members.get(key)?.size;
      return key.includes('*') && size ? `${key}: ${n} (${size} of them)` : `${key}: ${n}`;
    })
    .join(', ');
}

function stackLimitProblems(t: SynthesizedTemplate): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const split =
    'declare fewer of what fills it in the blueprint, or move part of it into a stack of its own';
  const resources = Object.keys(t.template.Resources ?? {}).length;
  if (resources > CLOUDFORMATION_LIMITS.resourcesPerStack)
    problems.push({
      scope: t.stackName,
      limit: 'CloudFormation resources per stack',
      count: resources,
      max: CLOUDFORMATION_LIMITS.resourcesPerStack,
      cause: `most from ${contributors(t)}`,
      fix: split,
    });
  for (const [section, limit, name] of [
    ['Outputs', CLOUDFORMATION_LIMITS.outputsPerStack, 'outputs'],
    ['Parameters', CLOUDFORMATION_LIMITS.parametersPerStack, 'parameters'],
    ['Mappings', CLOUDFORMATION_LIMITS.mappingsPerStack, 'mappings'],
  ] as const) {
    const count = Object.keys(t.template[section] ?? {}).length;
    if (count > limit)
      problems.push({
        scope: t.stackName,
        limit: `CloudFormation ${name} per stack`,
        count,
        max: limit,
        cause: `the template declares ${count} ${name}`,
        fix:
          section === 'Outputs'
            ? 'publish values in SSM parameters or weak references instead of outputs, or split the stack'
            : split,
      });
  }
  if (t.bytes > CLOUDFORMATION_LIMITS.templateBytes)
    problems.push({
      scope: t.stackName,
      limit: 'CloudFormation template body size in bytes (through S3)',
      count: t.bytes,
      max: CLOUDFORMATION_LIMITS.templateBytes,
      cause: `${Object.keys(t.template.Resources ?? {}).length} resources, most from ${contributors(t)}`,
      fix: split,
    });
  return problems;
}

/**
 * The fewest bytes a CloudFormation value can resolve to: literal strings count in full, tokens
 * (`Ref`, `Fn::GetAtt`, ...) count as empty. A lower bound never reports a value that fits.
 */
export function minimumBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const join = (value as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      const [separator, parts] = join as [unknown, unknown[]];
      const sep = typeof separator === 'string' ? Buffer.byteLength(separator, 'utf8') : 0;
      return (
        parts.reduce<number>((sum, part) => sum + minimumBytes(part), 0) +
        sep * Math.max(parts.length - 1, 0)
      );
    }
    const sub = (value as Record<string, unknown>)['Fn::Sub'];
    if (typeof sub === 'string') return Buffer.byteLength(sub.replace(/\$\{[^}]*\}/g, ''), 'utf8');
    if (Array.isArray(sub) && typeof sub[0] === 'string')
      return Buffer.byteLength(sub[0].replace(/\$\{[^}]*\}/g, ''), 'utf8');
  }
  return 0;
}

function ssmParameterProblems(t: SynthesizedTemplate): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::SSM::Parameter') continue;
    const tier = resource.Properties?.Tier === 'Advanced' ? 'Advanced' : 'Standard';
    const bytes = minimumBytes(resource.Properties?.Value);
    const max = SSM_PARAMETER_LIMITS[tier];
    if (bytes <= max) continue;
    const name = resource.Properties?.Name;
    problems.push({
      scope: t.stackName,
      limit: `SSM parameter value size in bytes (${tier} tier)`,
      count: bytes,
      max,
      cause: `parameter ${typeof name === 'string' ? name : logicalId} holds at least ${bytes.toLocaleString('en-US')} bytes`,
      fix:
        tier === 'Standard' && bytes <= SSM_PARAMETER_LIMITS.Advanced
          ? 'use the Advanced tier for this parameter'
          : 'split the value over several parameters or publish it elsewhere (8,192 bytes is the most any tier holds)',
    });
  }
  return problems;
}

function accountQuotaProblems(
  templates: readonly SynthesizedTemplate[],
  raised: AccountQuotas,
): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const quota of ACCOUNT_QUOTAS) {
    const counts = new Map<string, { count: number; stacks: Map<string, number> }>();
    for (const t of templates) {
      const n =
        quota.resourceType === 'AWS::CloudFormation::Stack'
          ? 1
          : Object.values(t.template.Resources ?? {}).filter(
              (r) =>
                r.Type === quota.resourceType &&
                (!quota.counts || quota.counts(r.Properties ?? {})),
            ).length;
      if (n === 0) continue;
      const account = t.account ?? 'the target account (environment-agnostic stacks)';
      const scope = quota.perRegion && t.region ? `${account} ${t.region}` : account;
      const entry = counts.get(scope) ?? { count: 0, stacks: new Map<string, number>() };
      entry.count += n;
      entry.stacks.set(t.stackName, n);
      counts.set(scope, entry);
    }
    const max = raised[quota.key] ?? quota.defaultValue;
    for (const [scope, { count, stacks }] of counts) {
      if (count <= max) continue;
      const top = [...stacks]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([stack, n]) => `${stack}: ${n}`)
        .join(', ');
      problems.push({
        scope,
        limit: `${quota.name} (${quota.resourceType})`,
        count,
        max,
        cause: `${stacks.size} stacks create them, most ${top}`,
        fix: `request a higher "${quota.name}" quota (${quota.source}) and declare it as deployment.accountQuotas.${quota.key} in the blueprint, or spread the stacks over more accounts`,
      });
    }
  }
  return problems;
}

/** Reads every stack of a cloud assembly (nested stages included) for {@link limitProblems}. */
export function synthesizedTemplates(assembly: cx_api.CloudAssembly): SynthesizedTemplate[] {
  return assembly.stacksRecursively.map((stack) => {
    const { account, region } = stack.environment;
    const constructPaths: Record<string, string> = {};
    for (const entry of stack.findMetadataByType(cxschema.ArtifactMetadataEntryType.LOGICAL_ID))
      if (typeof entry.data === 'string') constructPaths[entry.data] = entry.path;
    return {
      constructPaths,
      stackName: stack.stackName,
      account: account === cx_api.UNKNOWN_ACCOUNT ? undefined : account,
      region: region === cx_api.UNKNOWN_REGION ? undefined : region,
      template: stack.template as CfnTemplate,
      bytes: fs.statSync(stack.templateFullPath).size,
    };
  });
}
