/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized templates and policy documents are untyped JSON */
import { Assembly, AssemblyResource, AssemblyRole, isUnresolved, LabelledPolicy } from './assembly';
import { awsManagedPolicy, awsManagedPolicyByArn } from './aws-managed';
import {
  AsyncAccessEngine,
  ENGINE_INSTALL_HINT,
  ENGINE_PACKAGE,
  EngineLoader,
  EngineReason,
  EngineRequest,
  EngineResult,
  loadIamSimulate,
} from './engine';
import type {
  AccessPath,
  AccessPathReport,
  AccessPathResult,
  AccessPathSettings,
  AccessPathZone,
  DecidingStatement,
  StackTemplate,
} from './model';
import { ACCESS_PATH_KINDS } from './catalogue';

/** What every evaluation needs: the templates as one simulated deployment and what IAM knows about its principals. */
export class AccessPathContext {
  readonly assembly: Assembly;
  readonly settings: AccessPathSettings;
  private readonly rolesByArn = new Map<string, AssemblyRole>();
  private arnIndex?: Map<string, AssemblyResource>;

  constructor(stacks: readonly StackTemplate[], settings: AccessPathSettings) {
    this.settings = settings;
    this.assembly = new Assembly(stacks, settings);
    for (const role of this.assembly.roles((arn) => awsManagedPolicyByArn(arn)))
      this.rolesByArn.set(role.arn, role);
  }

  /** The CloudFormation execution role's ARN in the simulated account and region. */
  get executionRoleArn(): string {
    return this.assembly.roleArn(this.settings.executionRoleName, this.settings.account);
  }

  /**
   * The CloudFormation execution role that deploys a stack: the bootstrap's of the stack's own
   * account and region (each account is bootstrapped, `cdk bootstrap --trust`).
   */
  executionRoleArnFor(stack: StackTemplate): string {
    const account = this.assembly.accountOf(stack);
    const region = this.assembly.regionOf(stack);
    if (account === this.settings.account && region === this.settings.region)
      return this.executionRoleArn;
    const name =
      this.settings.executionRoleNameIn?.(account, region) ??
      this.settings.executionRoleName
        .replace(this.settings.account, account)
        .replace(this.settings.region, region);
    const arn = this.assembly.roleArn(name, account);
    this.executionRoles.set(arn, name);
    return arn;
  }
  private readonly executionRoles = new Map<string, string>();

  /**
   * Declares a role that no template creates but someone could create in an account of the
   * assembly, with AdministratorAccess (the worst case), to prove what it cannot reach: an
   * administrator of another account naming a role like one the door admits.
   */
  impostor(arn: string, zone: AccessPathZone | undefined): string {
    if (!this.rolesByArn.has(arn) && !this.impostors.has(arn)) {
      const admin = awsManagedPolicy('AdministratorAccess')!;
      this.impostors.set(arn, {
        name: arn.split('/').pop()!,
        arn,
        zone,
        identityPolicies: [
          {
            label: `AWS managed policy AdministratorAccess (a role named ${arn.split('/').pop()} that an administrator of account ${arn.split(':')[4]} creates)`,
            document: admin.document,
          },
        ],
        unknownManagedPolicies: [],
      });
    }
    return arn;
  }
  private readonly impostors = new Map<string, AssemblyRole>();

  /** A role by ARN: one of the assembly's, or the bootstrap's execution role (AdministratorAccess). */
  role(arn: string): AssemblyRole | undefined {
    const own = this.rolesByArn.get(arn) ?? this.impostors.get(arn);
    if (own) return own;
    if (arn === this.executionRoleArn || this.executionRoles.has(arn)) {
      const admin = awsManagedPolicy('AdministratorAccess')!;
      return {
        name: this.executionRoles.get(arn) ?? this.settings.executionRoleName,
        arn,
        zone: undefined,
        identityPolicies: [
          {
            label: 'AWS managed policy AdministratorAccess (CDK bootstrap default)',
            document: admin.document,
          },
        ],
        unknownManagedPolicies: [],
      };
    }
    return undefined;
  }

  /** Every role of the assembly. */
  roles(): AssemblyRole[] {
    return [...this.rolesByArn.values()];
  }

  /** A role of the assembly by its physical name. */
  roleNamed(name: string): AssemblyRole | undefined {
    return this.rolesByArn.get(this.assembly.roleArn(name));
  }

  /** The resource of the assembly with this ARN (an object or backup ARN finds its bucket or table). */
  resourceByArn(arn: string): AssemblyResource | undefined {
    if (!this.arnIndex) {
      this.arnIndex = new Map();
      for (const r of this.assembly.resources) {
        if (ARN_TYPES.has(r.type)) this.arnIndex.set(this.assembly.arnOf(r), r);
      }
    }
    const exact = this.arnIndex.get(arn);
    if (exact) return exact;
    const s3 = /^(arn:[^:]+:s3:::[^/]+)\//.exec(arn);
    if (s3) return this.arnIndex.get(s3[1]);
    const ddb = /^(arn:[^:]+:dynamodb:[^:]+:[^:]+:table\/[^/]+)\//.exec(arn);
    if (ddb) return this.arnIndex.get(ddb[1]);
    return undefined;
  }

  /** The resource-based policy AWS evaluates for a request on this ARN, if any. */
  resourcePolicy(arn: string, action: string): LabelledPolicy | undefined {
    const r = this.resourceByArn(arn);
    if (!r) return undefined;
    const asm = this.assembly;
    const merge = (policies: AssemblyResource[], prop: string): LabelledPolicy | undefined =>
      policies.length === 0
        ? undefined
        : {
            label: `resource policy ${policies.map((p) => `${p.type} ${p.where}`).join(', ')}`,
            document: {
              Version: '2012-10-17',
              Statement: policies.flatMap((p) => statements(p.props[prop])),
            },
          };
    switch (r.type) {
      case 'AWS::IAM::Role':
        return action.startsWith('sts:') ? this.role(asm.arnOf(r))?.trust : undefined;
      case 'AWS::KMS::Key':
        return { label: `key policy of ${r.where}`, document: r.props.KeyPolicy };
      case 'AWS::SQS::Queue': {
        const url = asm.refOf(r);
        return merge(
          asm.ofType('AWS::SQS::QueuePolicy').filter((p) => (p.props.Queues ?? []).includes(url)),
          'PolicyDocument',
        );
      }
      case 'AWS::SNS::Topic': {
        const topic = asm.refOf(r);
        return merge(
          asm.ofType('AWS::SNS::TopicPolicy').filter((p) => (p.props.Topics ?? []).includes(topic)),
          'PolicyDocument',
        );
      }
      case 'AWS::SecretsManager::Secret': {
        const secret = asm.refOf(r);
        return merge(
          asm
            .ofType('AWS::SecretsManager::ResourcePolicy')
            .filter((p) => p.props.SecretId === secret),
          'ResourcePolicy',
        );
      }
      case 'AWS::S3::Bucket': {
        const bucket = asm.refOf(r);
        return merge(
          asm.ofType('AWS::S3::BucketPolicy').filter((p) => p.props.Bucket === bucket),
          'PolicyDocument',
        );
      }
      case 'AWS::DynamoDB::Table':
        return r.props.ResourcePolicy?.PolicyDocument
          ? {
              label: `resource policy of ${r.where}`,
              document: r.props.ResourcePolicy.PolicyDocument,
            }
          : undefined;
      case 'AWS::Backup::BackupVault':
        return r.props.AccessPolicy
          ? { label: `access policy of ${r.where}`, document: r.props.AccessPolicy }
          : undefined;
      case 'AWS::Lambda::Function':
        return this.functionPolicy(r);
      case 'AWS::SSM::Parameter':
        return this.sharedParameterPolicy(r);
    }
    return undefined;
  }

  /**
   * A parameter shared through AWS RAM gets the resource policy RAM writes for the share's
   * permission: the default read-only one (`AWSRAMDefaultPermissionSSMParameterReadOnly`) lets
   * the share's principals describe and read the parameter. A stand-in for what RAM attaches, as
   * Parameter Store documents it; shares that name another permission are not modelled (they
   * allow nothing here, so a path that needs one fails rather than passing unseen).
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html#sharing-permissions
   */
  private sharedParameterPolicy(parameter: AssemblyResource): LabelledPolicy | undefined {
    const asm = this.assembly;
    const arn = asm.arnOf(parameter);
    const shares = asm
      .ofType('AWS::RAM::ResourceShare')
      .filter(
        (share) =>
          (share.props.ResourceArns ?? []).map(String).includes(arn) &&
          (share.props.PermissionArns ?? []).length === 0,
      );
    if (shares.length === 0) return undefined;
    return {
      label: `resource policy of the AWS RAM share ${shares.map((s) => s.where).join(', ')} (default read-only permission)`,
      document: {
        Version: '2012-10-17',
        Statement: shares.map((share) => ({
          Sid: share.logicalId,
          Effect: 'Allow',
          Principal: {
            AWS: (share.props.Principals ?? []).map((p: unknown) =>
              /^[0-9]{12}$/.test(String(p)) ? `arn:${asm.partition}:iam::${p}:root` : String(p),
            ),
          },
          Action: [
            'ssm:DescribeParameters',
            'ssm:GetParameter',
            'ssm:GetParameters',
            'ssm:GetParameterHistory',
          ],
          Resource: arn,
        })),
      },
    };
  }

  /** A function's resource policy is the sum of its `AWS::Lambda::Permission`s. */
  private functionPolicy(fn: AssemblyResource): LabelledPolicy | undefined {
    const asm = this.assembly;
    const arn = asm.arnOf(fn);
    const name = asm.refOf(fn);
    const perms = asm
      .ofType('AWS::Lambda::Permission')
      .filter((p) => p.props.FunctionName === arn || p.props.FunctionName === name);
    if (perms.length === 0) return undefined;
    return {
      label: `resource policy ${perms.map((p) => `AWS::Lambda::Permission ${p.where}`).join(', ')}`,
      document: {
        Version: '2012-10-17',
        Statement: perms.map((p) => {
          const principal = String(p.props.Principal);
          const condition: Record<string, Record<string, string>> = {};
          if (p.props.SourceArn) condition.ArnLike = { 'aws:SourceArn': String(p.props.SourceArn) };
          if (p.props.SourceAccount)
            condition.StringEquals = { 'aws:SourceAccount': String(p.props.SourceAccount) };
          return {
            Sid: p.logicalId,
            Effect: 'Allow',
            Principal: principal.endsWith('.amazonaws.com')
              ? { Service: principal }
              : { AWS: principal },
            Action: String(p.props.Action),
            Resource: arn,
            ...(Object.keys(condition).length ? { Condition: condition } : {}),
          };
        }),
      },
    };
  }
}

/** Types whose ARN the index knows. */
const ARN_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::Backup::BackupVault',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::SSM::Parameter',
]);

function statements(doc: any): unknown[] {
  if (!doc?.Statement) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/** Every path of every kind in the catalogue, derived from the assembly. */
export function deriveAccessPaths(ctx: AccessPathContext): AccessPath[] {
  const paths = ACCESS_PATH_KINDS.flatMap((kind) => kind.derive(ctx));
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p.id)) throw new Error(`access path ${p.id} is derived twice`);
    seen.add(p.id);
  }
  return paths;
}

/** The options of one evaluation. */
export interface EvaluateOptions {
  /** @default - `@cloud-copilot/iam-simulate` when installed */
  readonly loadEngine?: EngineLoader;
}

/** Every path of an assembly, ready for the engine. */
export interface AccessPathPlan {
  readonly settings: AccessPathSettings;
  readonly context: AccessPathContext;
  readonly prepared: readonly Prepared[];
  /** The engine's requests, one per path that could be prepared, in order. */
  readonly requests: readonly EngineRequest[];
}

/** Derives every access path from the templates and prepares the engine's requests. */
export function planAccessPaths(
  stacks: readonly StackTemplate[],
  settings: AccessPathSettings,
): AccessPathPlan {
  const context = new AccessPathContext(stacks, settings);
  const prepared = deriveAccessPaths(context).map((p) => prepare(context, p));
  return {
    settings,
    context,
    prepared,
    requests: prepared.flatMap((p) => (p.simulation ? [{ simulation: p.simulation }] : [])),
  };
}

/**
 * Derives every access path from the templates and evaluates each with the IAM engine, as a
 * simulation: every stack in one simulated account and region, every principal with the
 * context keys AWS documents its service sending. Nothing is deployed or called.
 */
export function evaluateAccessPaths(
  stacks: readonly StackTemplate[],
  settings: AccessPathSettings,
  options: EvaluateOptions = {},
): AccessPathReport {
  const plan = planAccessPaths(stacks, settings);
  const engine = (options.loadEngine ?? loadIamSimulate)();
  return completeAccessPaths(plan, engine, engine ? engine.evaluate(plan.requests) : []);
}

/** The same, with an engine that answers asynchronously (in process). */
export async function evaluateAccessPathsAsync(
  stacks: readonly StackTemplate[],
  settings: AccessPathSettings,
  engine: AsyncAccessEngine | undefined,
): Promise<AccessPathReport> {
  const plan = planAccessPaths(stacks, settings);
  return completeAccessPaths(plan, engine, engine ? await engine.evaluate(plan.requests) : []);
}

/** Turns the engine's answers (one per request of the plan) into the report. */
export function completeAccessPaths(
  plan: AccessPathPlan,
  engine: { readonly name: string; readonly version: string } | undefined,
  answers: readonly EngineResult[],
): AccessPathReport {
  const { settings, context: ctx, prepared } = plan;
  const accounts = [
    ...new Set(ctx.assembly.stacks.flatMap((s) => (s.account ? [s.account] : []))),
  ].sort();
  const base = {
    simulation: true as const,
    environment: {
      account: settings.account,
      region: settings.region,
      partition: ctx.assembly.partition,
      ...(accounts.length > 0 ? { accounts } : {}),
    },
    serviceControlPolicies: scpNames(settings),
  };
  if (!engine) {
    const results = prepared.map(({ path }) => ({
      ...path,
      decision: 'NotEvaluated' as const,
      pass: true,
      decidingStatements: [],
    }));
    return {
      ...base,
      engine: { name: ENGINE_PACKAGE, version: null },
      evaluated: false,
      notEvaluatedReason: ENGINE_INSTALL_HINT,
      summary: { total: results.length, passed: 0, failed: 0, notEvaluated: results.length },
      paths: results,
    };
  }
  let next = 0;
  const results: AccessPathResult[] = prepared.map(
    ({ path, simulation, labels, error, policyText }) => {
      if (!simulation)
        return { ...path, decision: 'Error', pass: false, decidingStatements: [], error };
      const answer = answers[next++];
      if (!answer.decision)
        return {
          ...path,
          decision: 'Error',
          pass: false,
          decidingStatements: [],
          error: answer.error,
        };
      // A context key the service documents sending, which the engine drops, would turn the
      // decision into a guess: the path is listed, marked, and proves nothing either way.
      // Only a key some policy of the request names can change the decision. The runner already
      // has the engine evaluate `kms:EncryptionContext:<key>` keys another way (engine-runner.js).
      const dropped = Object.keys(path.context ?? {}).filter(
        (k) => answer.ignoredContextKeys?.includes(k) && policyText?.().includes(k.toLowerCase()),
      );
      if (dropped.length)
        return {
          ...path,
          decision: 'NotEvaluated',
          pass: true,
          decidingStatements: [],
          error: `${engine.name} ${engine.version} does not evaluate the context key ${dropped.join(', ')} that this request carries`,
        };
      const pass =
        path.expect === 'allow' ? answer.decision === 'Allowed' : answer.decision !== 'Allowed';
      const restored = answer.restoredContextKeys ?? [];
      return {
        ...path,
        decision: answer.decision,
        pass,
        ...(restored.length
          ? {
              note: `decided by ${engine.name}'s runUnsafeSimulation, which names no deciding statements: its runSimulation drops ${restored.join(', ')} (DEC-010)`,
            }
          : {}),
        // A service principal has no identity policies: the engine's "identity: nothing allows"
        // says nothing about it.
        decidingStatements: answer.reasons
          .filter((r) => path.principal.kind === 'role' || r.policyType !== 'identity')
          .map((r) => deciding(r, labels)),
      };
    },
  );
  const notEvaluated = results.filter((r) => r.decision === 'NotEvaluated').length;
  const failed = results.filter((r) => !r.pass).length;
  return {
    ...base,
    engine: { name: engine.name, version: engine.version },
    evaluated: true,
    summary: {
      total: results.length,
      passed: results.length - failed - notEvaluated,
      failed,
      notEvaluated,
    },
    paths: results,
  };
}

function scpNames(settings: AccessPathSettings): Record<AccessPathZone, string[]> {
  const out = {} as Record<AccessPathZone, string[]>;
  for (const zone of ['front-office', 'back-office', 'integration'] as const)
    out[zone] = settings.serviceControlPolicies[zone].map((s) => s.name);
  return out;
}

/** The AWS default SCP; without it at every level of the organisation, every deny-only SCP would deny all. */
const FULL_AWS_ACCESS = {
  name: 'FullAWSAccess (AWS default)',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface Prepared {
  readonly path: AccessPath;
  readonly simulation?: unknown;
  /** Every policy of the request as lower-case text, to tell which context keys they name. */
  readonly policyText?: () => string;
  readonly labels: { resource?: string };
  readonly error?: string;
}

/**
 * Whether a policy document holds an intrinsic the simulation could not resolve ({@link
 * isUnresolved}), once per document: the same documents serve thousands of paths at scale.
 */
const unresolvedDocuments = new WeakMap<object, boolean>();
function unresolvedDocument(document: unknown): boolean {
  if (typeof document !== 'object' || document === null) return isUnresolved(document);
  let known = unresolvedDocuments.get(document);
  if (known === undefined) unresolvedDocuments.set(document, (known = isUnresolved(document)));
  return known;
}

function prepare(ctx: AccessPathContext, path: AccessPath): Prepared {
  const account = ctx.settings.account;
  const resourcePolicy = ctx.resourcePolicy(path.resource, path.action);
  const target = ctx.resourceByArn(path.resource);
  const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true' };
  if (target) {
    for (const [k, v] of Object.entries(ctx.assembly.tagsOf(target)))
      context[`aws:ResourceTag/${k}`] = v;
  }
  let principal: string;
  let identityPolicies: { name: string; policy: unknown }[] = [];
  let boundary: { name: string; policy: unknown }[] | undefined;
  let scps: { orgIdentifier: string; policies: { name: string; policy: unknown }[] }[] = [];
  const p = path.principal;
  if (p.kind === 'role') {
    const role = ctx.role(p.arn);
    if (!role) return { path, labels: {}, error: `the principal ${p.arn} is not in the assembly` };
    if (role.unknownManagedPolicies.length)
      return {
        path,
        labels: {},
        error: `the managed policies ${role.unknownManagedPolicies.join(', ')} of ${role.arn} have no document to evaluate`,
      };
    principal = role.arn;
    identityPolicies = role.identityPolicies.map((x) => ({ name: x.label, policy: x.document }));
    if (role.boundary) boundary = [{ name: role.boundary.label, policy: role.boundary.document }];
    const zone = path.principalZone ?? role.zone;
    const zoneScps = zone ? ctx.settings.serviceControlPolicies[zone] : [];
    scps = [
      { orgIdentifier: 'r-root', policies: [FULL_AWS_ACCESS] },
      {
        orgIdentifier: `ou-${zone ?? 'none'}`,
        policies: [
          FULL_AWS_ACCESS,
          ...zoneScps.map((s) => ({ name: `SCP ${s.name}`, policy: s.policy })),
        ],
      },
    ];
    // The principal's own account, which differs from the resource's on a cross-account path.
    const principalAccount = role.arn.split(':')[4] || account;
    Object.assign(context, {
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': principalAccount,
      'aws:PrincipalIsAWSService': 'false',
      'aws:ViaAWSService': p.via ? 'true' : 'false',
    });
    if (path.action.startsWith('kms:')) {
      context['kms:CallerAccount'] = principalAccount;
      // The service that calls KMS is the one in the key's region.
      if (p.via)
        context['kms:ViaService'] =
          `${p.via}.${resourceRegion(path.resource, ctx.settings.region)}.amazonaws.com`;
    }
  } else {
    principal = p.service;
    Object.assign(context, {
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': p.service,
    });
    if (p.sourceArn) context['aws:SourceArn'] = p.sourceArn;
    if (p.sourceAccount) context['aws:SourceAccount'] = p.sourceAccount;
  }
  Object.assign(context, path.context ?? {});
  if (
    isUnresolved([path.resource, principal]) ||
    unresolvedDocument(resourcePolicy?.document) ||
    identityPolicies.some((x) => unresolvedDocument(x.policy))
  )
    return {
      path,
      labels: {},
      error: `the simulation could not resolve every intrinsic of the policies or ARNs this path needs`,
    };
  const documents = [identityPolicies, resourcePolicy?.document, boundary, scps];
  return {
    path,
    labels: { resource: resourcePolicy?.label },
    // Needed only when the engine drops a context key the request carries: made then.
    policyText: () => JSON.stringify(documents).toLowerCase(),
    simulation: {
      request: {
        principal,
        action: path.action,
        // An ARN without an account (an S3 bucket's) is in the account of the stack that has it.
        resource: {
          resource: path.resource,
          accountId: resourceAccount(
            path.resource,
            target ? ctx.assembly.accountOf(target.stack) : account,
          ),
        },
        contextVariables: context,
      },
      identityPolicies,
      serviceControlPolicies: scps,
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resourcePolicy.document } : {}),
      ...(boundary ? { permissionBoundaryPolicies: boundary } : {}),
    },
  };
}

function resourceRegion(arn: string, fallback: string): string {
  const region = arn.split(':')[3];
  return region || fallback;
}

function resourceAccount(arn: string, fallback: string): string {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : fallback;
}

function deciding(r: EngineReason, labels: { resource?: string }): DecidingStatement {
  const sid =
    r.denialType === 'Implicit'
      ? 'no statement allows'
      : (r.statementId ?? (r.statementIndex !== undefined ? `#${r.statementIndex}` : ''));
  switch (r.policyType) {
    case 'identity':
      return { policy: `identity policy ${r.policyIdentifier ?? ''}`.trim(), sid };
    case 'resource':
      return { policy: labels.resource ?? 'resource policy (none)', sid };
    case 'pb':
    case 'permissionBoundary':
      return { policy: `permission boundary ${r.policyIdentifier ?? ''}`.trim(), sid };
    case 'scp':
      return {
        policy:
          `service control policy ${r.policyIdentifier ?? ''} at ${r.orgIdentifier ?? ''}`.trim(),
        sid,
      };
    default:
      return {
        policy: `${r.policyType} ${r.policyIdentifier ?? r.orgIdentifier ?? ''}`.trim(),
        sid,
      };
  }
}
