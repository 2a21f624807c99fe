/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized templates and policy documents are untyped JSON */
import { createHash } from 'node:crypto';
import type { AccessPathSettings, AccessPathZone, CfnResourceJson, StackTemplate } from './model';

/** A resource of the assembly with its stack and its intrinsics resolved. */
export interface AssemblyResource {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly type: string;
  /** Properties with every intrinsic resolved into the simulated account and region. */
  readonly props: Record<string, any>;
  /** The raw properties, for references between resources (`{"Ref": ...}`). */
  readonly raw: CfnResourceJson;
  /** Where it is: `<stack>/<logicalId>`. */
  readonly where: string;
}

/** A policy document with a label that says which policy it is and where it comes from. */
export interface LabelledPolicy {
  readonly label: string;
  readonly document: any;
}

/** A role of the assembly, with everything IAM evaluates for it. */
export interface AssemblyRole {
  readonly resource?: AssemblyResource;
  readonly name: string;
  readonly arn: string;
  readonly zone: AccessPathZone | undefined;
  readonly identityPolicies: readonly LabelledPolicy[];
  readonly boundary?: LabelledPolicy;
  readonly trust?: LabelledPolicy;
  /** Managed policies it names whose documents the evaluation does not have. */
  readonly unknownManagedPolicies: readonly string[];
}

const UNRESOLVED = 'UNRESOLVED';

/**
 * The synthesized templates as one simulated deployment: every stack in one account and region,
 * every intrinsic (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
 * `Fn::ImportValue`, `Fn::GetStackOutput`, `Fn::If` with its conditions, and template parameters
 * of the `AWS::SSM::Parameter::Value` types, read from the SSM parameters another template
 * creates) resolved into concrete names and ARNs. Generated physical names are made up,
 * deterministically, as CloudFormation would shape them (`<stack>-<logicalId>-<suffix>`).
 */
export class Assembly {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stacks: readonly StackTemplate[];
  readonly resources: readonly AssemblyResource[];
  private readonly byStack = new Map<string, Map<string, AssemblyResource>>();
  private readonly byType = new Map<string, readonly AssemblyResource[]>();
  private readonly exports = new Map<string, { stack: StackTemplate; value: unknown }>();
  private readonly resolving = new Set<string>();
  private readonly ssmParameters = new Map<string, { stack: StackTemplate; value: unknown }>();

  constructor(
    stacks: readonly StackTemplate[],
    settings: Pick<AccessPathSettings, 'account' | 'region' | 'partition'>,
  ) {
    this.account = settings.account;
    this.region = settings.region;
    this.partition = settings.partition ?? 'aws';
    this.stacks = stacks;
    for (const stack of stacks) {
      for (const [name, output] of Object.entries(stack.template.Outputs ?? {})) {
        const exportName = output.Export?.Name;
        if (exportName !== undefined)
          this.exports.set(String(this.resolve(stack, exportName)), { stack, value: output.Value });
        this.exports.set(`${stack.stackName}::${name}`, { stack, value: output.Value });
      }
      for (const r of Object.values(stack.template.Resources ?? {})) {
        if (r.Type === 'AWS::SSM::Parameter' && r.Properties?.Name !== undefined) {
          const name = String(this.resolve(stack, r.Properties.Name));
          const source = { stack, value: r.Properties.Value };
          this.ssmParameters.set(name, source);
          // A parameter shared with another account is read there by its ARN.
          this.ssmParameters.set(
            this.arn('ssm', `parameter/${name.replace(/^\//, '')}`, {
              account: this.accountOf(stack),
              region: this.regionOf(stack),
            }),
            source,
          );
        }
      }
    }
    const all: AssemblyResource[] = [];
    for (const stack of stacks) {
      const map = new Map<string, AssemblyResource>();
      for (const [logicalId, raw] of Object.entries(stack.template.Resources ?? {})) {
        if (raw.Condition && !this.condition(stack, raw.Condition)) continue;
        const r: AssemblyResource = {
          stack,
          logicalId,
          type: raw.Type,
          props: this.resolve(stack, raw.Properties ?? {}) as Record<string, any>,
          raw,
          where: `${stack.stackName}/${logicalId}`,
        };
        map.set(logicalId, r);
        all.push(r);
      }
      this.byStack.set(stack.stackName, map);
    }
    this.resources = all;
  }

  /** Resources of a CloudFormation type, across every stack. */
  ofType(type: string): readonly AssemblyResource[] {
    // Asked once a path (a resource's policy) on thousands of resources: looked up once a type.
    let found = this.byType.get(type);
    if (!found) {
      found = this.resources.filter((r) => r.type === type);
      this.byType.set(type, found);
    }
    return found;
  }

  /** One resource by stack and logical id. */
  get(stackName: string, logicalId: string): AssemblyResource | undefined {
    return this.byStack.get(stackName)?.get(logicalId);
  }

  /** The resource a raw `{"Ref": id}` or `{"Fn::GetAtt": [id, ...]}` in a stack points at. */
  referenced(stack: StackTemplate, raw: unknown): AssemblyResource | undefined {
    if (!isObject(raw)) return undefined;
    const id =
      typeof raw.Ref === 'string'
        ? raw.Ref
        : Array.isArray(raw['Fn::GetAtt'])
          ? String(raw['Fn::GetAtt'][0])
          : undefined;
    return id ? this.get(stack.stackName, id) : undefined;
  }

  /** The ARN of a resource in the simulated account, as `Fn::GetAtt [id, Arn]` resolves. */
  arnOf(r: AssemblyResource): string {
    return String(this.attribute(r.stack, r.logicalId, 'Arn'));
  }

  /** The physical id a `Ref` to the resource resolves to. */
  refOf(r: AssemblyResource): string {
    return String(this.ref(r.stack, r.logicalId));
  }

  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    return `arn:${this.partition}:${service}:${opts.region ?? this.region}:${opts.account ?? this.account}:${resource}`;
  }

  /** The account a stack deploys to: its own `env`, else the simulated account. */
  accountOf(stack: StackTemplate): string {
    return stack.account ?? this.account;
  }

  /** The region a stack deploys to: its own `env`, else the simulated region. */
  regionOf(stack: StackTemplate): string {
    return stack.region ?? this.region;
  }

  /**
   * The ARN of a role by its name: in the account of the stack that creates a role of that name,
   * else in `account` (default: the simulated account).
   */
  roleArn(name: string, account?: string): string {
    if (!this.roleAccounts) {
      this.roleAccounts = new Map();
      for (const stack of this.stacks)
        for (const raw of Object.values(stack.template.Resources ?? {}))
          if (raw.Type === 'AWS::IAM::Role' && raw.Properties?.RoleName !== undefined) {
            const roleName = String(this.resolve(stack, raw.Properties.RoleName));
            if (!this.roleAccounts.has(roleName))
              this.roleAccounts.set(roleName, this.accountOf(stack));
          }
    }
    const found = account ?? this.roleAccounts.get(name) ?? this.account;
    return `arn:${this.partition}:iam::${found}:role/${name}`;
  }
  private roleAccounts?: Map<string, string>;

  /** Resolves every intrinsic in a value of a stack's template. */
  resolve(stack: StackTemplate, value: unknown, vars: Record<string, unknown> = {}): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(stack, v, vars)).filter((v) => v !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return String(arg) in vars ? vars[String(arg)] : this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.attribute(stack, String(id), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          const resolved = this.resolve(stack, parts, vars);
          return Array.isArray(resolved) ? resolved.map(String).join(sep) : UNRESOLVED;
        }
        case 'Fn::Sub':
          return this.sub(stack, arg, vars);
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const items = this.resolve(stack, list, vars);
          return Array.isArray(items)
            ? items[Number(this.resolve(stack, index, vars))]
            : UNRESOLVED;
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          return String(this.resolve(stack, text, vars)).split(sep);
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg, vars));
          const exported = this.exports.get(name);
          return exported
            ? this.resolve(exported.stack, exported.value)
            : `${UNRESOLVED}(import ${name})`;
        }
        case 'Fn::GetStackOutput': {
          const spec = this.resolve(stack, arg, vars) as {
            StackName?: string;
            OutputName?: string;
          };
          const exported = this.exports.get(`${spec.StackName}::${spec.OutputName}`);
          return exported ? this.resolve(exported.stack, exported.value) : UNRESOLVED;
        }
        case 'Fn::If': {
          const [cond, yes, no] = arg as [string, unknown, unknown];
          return this.resolve(stack, this.condition(stack, cond) ? yes : no, vars);
        }
        case 'Fn::Equals':
        case 'Fn::And':
        case 'Fn::Or':
        case 'Fn::Not':
        case 'Condition':
          return this.conditionValue(stack, value);
        case 'Fn::Base64':
          return this.resolve(stack, arg, vars);
        case 'Fn::GetAZs':
          return [`${this.region}a`, `${this.region}b`, `${this.region}c`];
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(stack, v, vars);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  /** Evaluates a named condition of a stack's template. */
  condition(stack: StackTemplate, name: string): boolean {
    const spec = stack.template.Conditions?.[name];
    return spec === undefined ? false : this.conditionValue(stack, spec);
  }

  private conditionValue(stack: StackTemplate, spec: unknown): boolean {
    if (!isObject(spec)) return Boolean(spec);
    if ('Condition' in spec) return this.condition(stack, String(spec.Condition));
    if ('Fn::Equals' in spec) {
      const [a, b] = spec['Fn::Equals'] as [unknown, unknown];
      return JSON.stringify(this.resolve(stack, a)) === JSON.stringify(this.resolve(stack, b));
    }
    if ('Fn::And' in spec)
      return (spec['Fn::And'] as unknown[]).every((c) => this.conditionValue(stack, c));
    if ('Fn::Or' in spec)
      return (spec['Fn::Or'] as unknown[]).some((c) => this.conditionValue(stack, c));
    if ('Fn::Not' in spec) return !this.conditionValue(stack, (spec['Fn::Not'] as unknown[])[0]);
    return Boolean(this.resolve(stack, spec));
  }

  private sub(stack: StackTemplate, arg: unknown, vars: Record<string, unknown>): string {
    const [text, map] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    const local: Record<string, unknown> = { ...vars };
    for (const [k, v] of Object.entries(map ?? {})) local[k] = this.resolve(stack, v, vars);
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (name in local) return String(local[name]);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::'))
        return String(this.attribute(stack, name.slice(0, dot), name.slice(dot + 1)));
      return String(this.ref(stack, name));
    });
  }

  private ref(stack: StackTemplate, name: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.accountOf(stack);
      case 'AWS::Region':
        return this.regionOf(stack);
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::StackId':
        return this.arn('cloudformation', `stack/${stack.stackName}/${uuid(stack.stackName)}`, {
          account: this.accountOf(stack),
          region: this.regionOf(stack),
        });
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const param = stack.template.Parameters?.[name];
    if (param) return this.parameter(stack, name, param);
    const raw = stack.template.Resources?.[name];
    if (!raw) return `${UNRESOLVED}(Ref ${name})`;
    return physical(this, stack, name, raw, 'Ref');
  }

  private parameter(
    stack: StackTemplate,
    name: string,
    param: { Type?: string; Default?: unknown },
  ): unknown {
    if (param.Type?.startsWith('AWS::SSM::Parameter::Value')) {
      const parameterName = String(param.Default);
      const key = `${stack.stackName}::param::${name}`;
      if (this.resolving.has(key)) return `${UNRESOLVED}(ssm ${parameterName})`;
      const source = this.ssmParameters.get(parameterName);
      if (!source) return `${UNRESOLVED}(ssm ${parameterName})`;
      this.resolving.add(key);
      try {
        return this.resolve(source.stack, source.value);
      } finally {
        this.resolving.delete(key);
      }
    }
    return param.Default ?? `${UNRESOLVED}(parameter ${name})`;
  }

  private attribute(stack: StackTemplate, logicalId: string, attr: string): unknown {
    const raw = stack.template.Resources?.[logicalId];
    if (!raw) return `${UNRESOLVED}(GetAtt ${logicalId}.${attr})`;
    return physical(this, stack, logicalId, raw, attr);
  }

  /** The name a resource's property gives it, resolved, or undefined. */
  nameProperty(stack: StackTemplate, raw: CfnResourceJson, prop: string): string | undefined {
    const v = raw.Properties?.[prop];
    if (v === undefined) return undefined;
    const key = `${stack.stackName}::${prop}::${JSON.stringify(v)}`;
    if (this.resolving.has(key)) return undefined;
    this.resolving.add(key);
    try {
      return String(this.resolve(stack, v));
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Every role of the assembly, with its policies, boundary and trust policy. */
  roles(managed: ManagedPolicyLookup): AssemblyRole[] {
    return this.ofType('AWS::IAM::Role').map((r) => this.role(r, managed));
  }

  /** The role with this name, if the assembly has it. */
  roleByName(name: string, managed: ManagedPolicyLookup): AssemblyRole | undefined {
    const r = this.ofType('AWS::IAM::Role').find((x) => this.refOf(x) === name);
    return r ? this.role(r, managed) : undefined;
  }

  private role(r: AssemblyResource, managed: ManagedPolicyLookup): AssemblyRole {
    const name = this.refOf(r);
    const identityPolicies: LabelledPolicy[] = [];
    const unknown: string[] = [];
    for (const p of (r.props.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[])
      identityPolicies.push({
        label: `inline policy ${p.PolicyName} of ${r.where}`,
        document: p.PolicyDocument,
      });
    for (const p of [...this.ofType('AWS::IAM::Policy'), ...this.ofType('AWS::IAM::RolePolicy')]) {
      const roles: unknown[] =
        p.type === 'AWS::IAM::RolePolicy' ? [p.props.RoleName] : (p.props.Roles ?? []);
      if (roles.map(String).includes(name))
        identityPolicies.push({ label: `${p.type} ${p.where}`, document: p.props.PolicyDocument });
    }
    const managedArns = new Set<string>((r.props.ManagedPolicyArns ?? []).map(String));
    for (const p of this.ofType('AWS::IAM::ManagedPolicy')) {
      if ((p.props.Roles ?? []).map(String).includes(name)) managedArns.add(this.refOf(p));
    }
    for (const arn of managedArns) {
      const doc = this.managedPolicy(arn, managed);
      if (doc) identityPolicies.push(doc);
      else unknown.push(arn);
    }
    const boundaryArn = r.props.PermissionsBoundary
      ? String(r.props.PermissionsBoundary)
      : undefined;
    const boundary = boundaryArn ? this.managedPolicy(boundaryArn, managed) : undefined;
    if (boundaryArn && !boundary) unknown.push(boundaryArn);
    return {
      resource: r,
      name,
      arn: this.roleArn(name, this.accountOf(r.stack)),
      zone: r.stack.zone,
      identityPolicies,
      boundary,
      trust: r.props.AssumeRolePolicyDocument
        ? { label: `trust policy of ${r.where}`, document: r.props.AssumeRolePolicyDocument }
        : undefined,
      unknownManagedPolicies: unknown,
    };
  }

  private managedPolicy(arn: string, managed: ManagedPolicyLookup): LabelledPolicy | undefined {
    const own = this.ofType('AWS::IAM::ManagedPolicy').find((p) => this.refOf(p) === arn);
    if (own)
      return { label: `AWS::IAM::ManagedPolicy ${own.where}`, document: own.props.PolicyDocument };
    const aws = managed(arn);
    return aws ? { label: `AWS managed policy ${aws.name}`, document: aws.document } : undefined;
  }

  /** The tags a resource carries at run time: its own, then its stack's (propagated at deploy). */
  tagsOf(r: AssemblyResource): Record<string, string> {
    const tags: Record<string, string> = { ...(r.stack.tags ?? {}) };
    for (const prop of ['Tags', 'BackupVaultTags', 'BackupPlanTags', 'UserPoolTags']) {
      const t = r.props[prop];
      if (Array.isArray(t)) for (const { Key, Value } of t) tags[String(Key)] = String(Value);
      else if (isObject(t)) for (const [k, v] of Object.entries(t)) tags[k] = String(v);
    }
    return tags;
  }
}

/** An AWS managed policy document by ARN, from the cited copies the evaluation keeps. */
export type ManagedPolicyLookup = (arn: string) => { name: string; document: unknown } | undefined;

const NO_VALUE = Symbol('AWS::NoValue');

/** True when a resolved value still holds something the simulation could not resolve. */
export function isUnresolved(value: unknown): boolean {
  return JSON.stringify(value ?? '').includes(UNRESOLVED);
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function generatedName(stack: StackTemplate, logicalId: string, max = 64, lower = false): string {
  const suffix = createHash('sha256')
    .update(`${stack.stackName}/${logicalId}`)
    .digest('hex')
    .slice(0, 12)
    .toUpperCase();
  const head = `${stack.stackName}-${logicalId}`.slice(0, max - suffix.length - 1);
  const name = `${head}-${suffix}`;
  return lower ? name.toLowerCase() : name;
}

/**
 * What `Ref` and `Fn::GetAtt` return for a resource, by type, as the CloudFormation resource
 * reference documents them (`Ref` of a queue is its URL, of a secret its ARN, of a key its id).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
 */
function physical(
  asm: Assembly,
  stack: StackTemplate,
  logicalId: string,
  raw: CfnResourceJson,
  attr: string,
): unknown {
  const named = (prop: string, max = 64, lower = false) =>
    asm.nameProperty(stack, raw, prop) ?? generatedName(stack, logicalId, max, lower);
  const a = asm.accountOf(stack);
  const r = asm.regionOf(stack);
  const p = asm.partition;
  switch (raw.Type) {
    case 'AWS::IAM::Role': {
      const name = named('RoleName');
      return attr === 'Ref' || attr === 'RoleName'
        ? name
        : attr === 'RoleId'
          ? `AROA${logicalId.toUpperCase().slice(0, 16)}`
          : `arn:${p}:iam::${a}:role${rolePath(asm, stack, raw)}${name}`;
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = named('ManagedPolicyName', 128);
      return `arn:${p}:iam::${a}:policy/${name}`;
    }
    case 'AWS::SQS::Queue': {
      const name = named('QueueName', 80);
      if (attr === 'Ref' || attr === 'QueueUrl')
        return `https://sqs.${r}.amazonaws.com/${a}/${name}`;
      if (attr === 'QueueName') return name;
      return `arn:${p}:sqs:${r}:${a}:${name}`;
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const name = named('TableName', 255);
      if (attr === 'Ref') return name;
      if (attr === 'StreamArn') return `arn:${p}:dynamodb:${r}:${a}:table/${name}/stream/SIMULATED`;
      return `arn:${p}:dynamodb:${r}:${a}:table/${name}`;
    }
    case 'AWS::KMS::Key': {
      const id = uuid(`${stack.stackName}/${logicalId}`);
      return attr === 'Ref' || attr === 'KeyId' ? id : `arn:${p}:kms:${r}:${a}:key/${id}`;
    }
    case 'AWS::KMS::Alias':
      return asm.nameProperty(stack, raw, 'AliasName') ?? `alias/${logicalId}`;
    case 'AWS::SecretsManager::Secret': {
      const name = named('Name', 256);
      const suffix = createHash('sha256')
        .update(name)
        .digest('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x')
        .slice(0, 6);
      return `arn:${p}:secretsmanager:${r}:${a}:secret:${name}-${suffix}`;
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName', 256);
      return attr === 'TopicName' ? name : `arn:${p}:sns:${r}:${a}:${name}`;
    }
    case 'AWS::Backup::BackupVault': {
      const name = named('BackupVaultName', 50);
      return attr === 'Ref' || attr === 'BackupVaultName'
        ? name
        : `arn:${p}:backup:${r}:${a}:backup-vault:${name}`;
    }
    case 'AWS::Backup::BackupPlan':
      return attr === 'BackupPlanArn'
        ? `arn:${p}:backup:${r}:${a}:backup-plan:${uuid(logicalId)}`
        : uuid(`${stack.stackName}/${logicalId}`);
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName');
      return attr === 'Ref' ? name : `arn:${p}:lambda:${r}:${a}:function:${name}`;
    }
    case 'AWS::S3::Bucket': {
      const name = named('BucketName', 63, true);
      if (attr === 'Ref') return name;
      if (attr === 'RegionalDomainName') return `${name}.s3.${r}.amazonaws.com`;
      if (attr === 'DomainName') return `${name}.s3.amazonaws.com`;
      return `arn:${p}:s3:::${name}`;
    }
    case 'AWS::CloudFront::Distribution': {
      const id = `E${createHash('sha256').update(`${stack.stackName}/${logicalId}`).digest('hex').slice(0, 13).toUpperCase()}`;
      return attr === 'DomainName' ? `${id.toLowerCase()}.cloudfront.net` : id;
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName', 512);
      return attr === 'Ref' ? name : `arn:${p}:logs:${r}:${a}:log-group:${name}:*`;
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = named('AlarmName', 255);
      return attr === 'Ref' ? name : `arn:${p}:cloudwatch:${r}:${a}:alarm:${name}`;
    }
    case 'AWS::Cognito::UserPool': {
      const id = `${r}_${createHash('sha256').update(logicalId).digest('hex').slice(0, 9)}`;
      return attr === 'Arn' ? `arn:${p}:cognito-idp:${r}:${a}:userpool/${id}` : id;
    }
    case 'AWS::SSM::Parameter': {
      const name = named('Name', 1011);
      if (attr === 'Ref') return name;
      if (attr === 'Arn') return `arn:${p}:ssm:${r}:${a}:parameter/${name.replace(/^\//, '')}`;
      return attr === 'Value' ? (asm.nameProperty(stack, raw, 'Value') ?? UNRESOLVED) : attr;
    }
    case 'AWS::ApiGateway::RestApi':
      return attr === 'RootResourceId'
        ? `${logicalId.toLowerCase().slice(0, 10)}root`
        : logicalId.toLowerCase().slice(0, 10);
    case 'AWS::ApiGateway::Stage':
      return named('StageName');
  }
  return attr === 'Ref' ? `${logicalId}-id` : `${logicalId}.${attr}`;
}

function rolePath(asm: Assembly, stack: StackTemplate, raw: CfnResourceJson): string {
  const path = asm.nameProperty(stack, raw, 'Path');
  return path && path !== '/' ? path : '/';
}
