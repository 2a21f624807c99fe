import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, NestedStack, Stack, Stage, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { BoundaryChecksProps, BoundaryZone } from './model';

/** A CloudFormation resource as the synthesized template has it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly [key: string]: unknown;
}

interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
}

/** One stack of the app, with its synthesized template. */
export interface StackInfo {
  readonly stack: Stack;
  /** The deployed stack name. */
  readonly name: string;
  readonly zone?: BoundaryZone;
  readonly template: Template;
  /** Stack tags, which CloudFormation propagates to resources at deploy time. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A resource of the app, found through a reference. */
export interface ResourceRef {
  readonly stack: StackInfo;
  readonly logicalId: string;
  readonly resource: TemplateResource;
}

/** A piece of a string value: literal text, a reference to a resource, or a value known only at deploy time. */
export type Piece = string | { readonly ref: ResourceRef } | { readonly unknown: string };

const PSEUDO = /^AWS::/;

const SERVICE_OF_NAMESPACE: Record<string, string> = {
  ApiGateway: 'apigateway',
  ApiGatewayV2: 'apigateway',
  CloudWatch: 'cloudwatch',
  Cognito: 'cognito-idp',
  EFS: 'elasticfilesystem',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  KinesisFirehose: 'firehose',
  StepFunctions: 'states',
};

/** The IAM service prefix of a CloudFormation type: `AWS::DynamoDB::Table` -> `dynamodb`. */
export function serviceOf(type: string): string {
  const namespace = type.split('::')[1] ?? '';
  return SERVICE_OF_NAMESPACE[namespace] ?? namespace.toLowerCase();
}

/** Properties that give a resource an explicit physical name. */
const NAME_PROPERTIES = [
  'TableName',
  'QueueName',
  'TopicName',
  'BucketName',
  'FunctionName',
  'RoleName',
  'UserName',
  'GroupName',
  'ManagedPolicyName',
  'LogGroupName',
  'StateMachineName',
  'AliasName',
  'BackupVaultName',
  'Name',
];

/**
 * Everything the boundary rules need to see beyond one resource: each stack's zone and
 * synthesized template, how references between stacks resolve, and the physical names that
 * identify back-office and front-office resources in literal ARNs.
 *
 * It reads the templates the app has synthesized, so the rules judge what CloudFormation gets,
 * escape hatches and aspects included.
 */
export class BoundaryIndex {
  static build(scope: IConstruct, props: BoundaryChecksProps): BoundaryIndex {
    return new BoundaryIndex(scope, props);
  }

  readonly stacks: readonly StackInfo[];
  private readonly byStack = new Map<Stack, StackInfo>();
  private readonly byName = new Map<string, StackInfo>();
  private readonly exports = new Map<string, { stack: StackInfo; value: unknown }>();
  private readonly memo = new Map<string, unknown>();
  private allResources?: ResourceRef[];

  private constructor(
    scope: IConstruct,
    readonly props: BoundaryChecksProps,
  ) {
    const stacks: StackInfo[] = [];
    for (const node of scope.node.findAll()) {
      if (!Stack.isStack(node)) continue;
      const info: StackInfo = {
        stack: node,
        name: node.stackName,
        zone: props.zoneOf(node),
        template: readTemplate(node),
        tags: node.tags.tagValues(),
      };
      stacks.push(info);
      this.byStack.set(node, info);
      this.byName.set(info.name, info);
    }
    this.stacks = stacks;
    for (const info of stacks) {
      for (const output of Object.values(info.template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') this.exports.set(name, { stack: info, value: output.Value });
      }
    }
  }

  /** The stack that holds a construct. */
  stackOf(node: IConstruct): StackInfo {
    const info = this.byStack.get(Stack.of(node));
    if (!info) throw new Error(`${node.node.path} is outside the validated scope`);
    return info;
  }

  zoneOf(node: IConstruct): BoundaryZone | undefined {
    return this.stackOf(node).zone;
  }

  /** A resource as its template has it (after overrides), or undefined if the template lacks it. */
  resourceOf(node: CfnResource): ResourceRef | undefined {
    const stack = this.stackOf(node);
    const logicalId = node.stack.resolve(node.logicalId) as string;
    const resource = stack.template.Resources?.[logicalId];
    return resource ? { stack, logicalId, resource } : undefined;
  }

  stackNamed(name: string): StackInfo | undefined {
    return this.byName.get(name);
  }

  exportNamed(name: string) {
    return this.exports.get(name);
  }

  stacksIn(zone: BoundaryZone): StackInfo[] {
    return this.stacks.filter((s) => s.zone === zone);
  }

  /** Every resource of every stack, with its stack. */
  resources(): readonly ResourceRef[] {
    this.allResources ??= this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {}).map(([logicalId, resource]) => ({
        stack,
        logicalId,
        resource,
      })),
    );
    return this.allResources;
  }

  /**
   * A value computed once per validation: rules call this for app-wide facts they would
   * otherwise recompute for every resource, so a large app stays linear.
   */
  once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** A resource's explicit physical name, if its template sets one as a literal. */
  physicalName(ref: ResourceRef): string | undefined {
    const props = ref.resource.Properties ?? {};
    for (const key of NAME_PROPERTIES) {
      const value = props[key];
      if (typeof value === 'string') return value;
    }
    return undefined;
  }

  /**
   * Names that identify a zone's resources in a literal ARN: the zone's stack names (which
   * CloudFormation puts at the start of generated names) and the explicit physical names.
   */
  zoneNames(zone: BoundaryZone): string[] {
    return this.once(`zoneNames:${zone}`, () => {
      const names = new Set<string>();
      for (const stack of this.stacksIn(zone)) names.add(stack.name);
      for (const ref of this.resources()) {
        if (ref.stack.zone !== zone) continue;
        const name = this.physicalName(ref);
        if (name) names.add(name);
      }
      return [...names];
    });
  }

  /** The pieces of a string-valued property: literals, references, and deploy-time values. */
  pieces(value: unknown, from: StackInfo): Piece[] {
    if (typeof value === 'string') return [value];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (!isObject(value)) return [{ unknown: 'value' }];
    const [fn, arg] = Object.entries(value)[0] ?? [];
    switch (fn) {
      case 'Ref':
        return [this.refPiece(String(arg), undefined, from)];
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
        return [this.refPiece(String(id), String(attribute), from)];
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        if (!Array.isArray(parts)) return [{ unknown: 'Fn::Join' }];
        return parts.flatMap((part, i) => [
          ...(i > 0 && sep ? [sep] : []),
          ...this.pieces(part, from),
        ]);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const out: Piece[] = [];
        for (const part of String(text).split(/(\$\{[^}!]+\})/)) {
          const m = /^\$\{([^}]+)\}$/.exec(part);
          if (!m) {
            if (part) out.push(part);
            continue;
          }
          const name = m[1];
          if (isObject(vars) && name in vars) out.push(...this.pieces(vars[name], from));
          else {
            const [id, attribute] = name.split(/\.(.+)/);
            out.push(this.refPiece(id, attribute, from));
          }
        }
        return out;
      }
      case 'Fn::GetStackOutput': {
        const target = this.stackOutput(arg);
        return target
          ? this.pieces(target.value, target.stack)
          : [{ unknown: 'Fn::GetStackOutput' }];
      }
      case 'Fn::ImportValue': {
        const found = typeof arg === 'string' ? this.exports.get(arg) : undefined;
        return found ? this.pieces(found.value, found.stack) : [{ unknown: 'Fn::ImportValue' }];
      }
      default:
        return [{ unknown: fn ?? 'value' }];
    }
  }

  /** Every resource a value references, across stacks (through outputs and exports). */
  referencesIn(value: unknown, from: StackInfo): ResourceRef[] {
    const found: ResourceRef[] = [];
    const visit = (v: unknown, stack: StackInfo) => {
      if (Array.isArray(v)) return v.forEach((x) => visit(x, stack));
      if (!isObject(v)) return;
      const entries = Object.entries(v);
      if (entries.length === 1) {
        const [fn, arg] = entries[0];
        if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::Sub') {
          for (const piece of this.pieces(v, stack)) if (isRef(piece)) found.push(piece.ref);
          if (fn === 'Fn::Sub' && Array.isArray(arg)) visit(arg[1], stack);
          return;
        }
        if (fn === 'Fn::GetStackOutput') {
          const target = this.stackOutput(arg);
          if (target) visit(target.value, target.stack);
          return;
        }
        if (fn === 'Fn::ImportValue' && typeof arg === 'string') {
          const target = this.exports.get(arg);
          if (target) visit(target.value, target.stack);
          return;
        }
      }
      for (const [, x] of entries) visit(x, stack);
    };
    visit(value, from);
    return found;
  }

  /** The stack an `Fn::GetStackOutput` names, and the output's value. */
  stackOutput(arg: unknown): { stack: StackInfo; value: unknown } | undefined {
    if (!isObject(arg)) return undefined;
    const stack = typeof arg.StackName === 'string' ? this.byName.get(arg.StackName) : undefined;
    const output =
      stack && typeof arg.OutputName === 'string'
        ? stack.template.Outputs?.[arg.OutputName]
        : undefined;
    return stack && output ? { stack, value: output.Value } : undefined;
  }

  /** The tags a resource carries in its template (not counting stack tags). */
  resourceTags(ref: ResourceRef, node?: CfnResource): Record<string, string> {
    const props = ref.resource.Properties ?? {};
    const names = new Set(['Tags']);
    if (node && TagManager.isTaggable(node)) {
      const prop = node.tags.tagPropertyName;
      names.add(prop.charAt(0).toUpperCase() + prop.slice(1));
    }
    const tags: Record<string, string> = {};
    for (const name of names) {
      const value = props[name];
      if (Array.isArray(value)) {
        for (const tag of value) {
          if (isObject(tag) && typeof tag.Key === 'string') tags[tag.Key] = String(tag.Value);
        }
      } else if (isObject(value)) {
        for (const [k, v] of Object.entries(value)) tags[k] = String(v);
      }
    }
    return tags;
  }

  private refPiece(id: string, attribute: string | undefined, from: StackInfo): Piece {
    if (PSEUDO.test(id)) return { unknown: id };
    const resource = from.template.Resources?.[id];
    if (resource) return { ref: { stack: from, logicalId: id, resource } };
    const parameter = from.template.Parameters?.[id];
    if (parameter) return { unknown: `Parameter:${id}` };
    return { unknown: attribute ? `${id}.${attribute}` : id };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRef(piece: Piece): piece is { ref: ResourceRef } {
  return typeof piece === 'object' && 'ref' in piece;
}

/** A value as an array (policy elements may be one value or a list). */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A value as a string pattern: literals stay, deploy-time values become `${Name}`, references
 * become `${stack/LogicalId}`. Good for matching ARNs and for finding ids.
 */
export function patternOf(pieces: readonly Piece[]): string {
  return pieces
    .map((p) =>
      typeof p === 'string'
        ? p
        : 'ref' in p
          ? `\${${p.ref.stack.name}/${p.ref.logicalId}}`
          : `\${${p.unknown}}`,
    )
    .join('');
}

/** A finding id part: no brackets or whitespace, at most 120 characters. */
export function findingPart(text: string): string {
  const clean = text.replace(/[[\]\s]+/g, '_');
  return clean.length <= 120 ? clean : `${clean.slice(0, 117)}...`;
}

function readTemplate(stack: Stack): Template {
  const outdir = NestedStack.isNestedStack(stack)
    ? Stage.of(stack.nestedStackParent ?? stack)?.outdir
    : Stage.of(stack)?.outdir;
  const file = outdir ? path.join(outdir, stack.templateFile) : undefined;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      `the boundary rules read synthesized templates, and ${stack.node.path} has none yet: synthesize the app before validating it`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
}
