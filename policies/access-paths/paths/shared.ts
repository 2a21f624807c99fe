import type { AssemblyResource } from '../assembly';
import type { AccessPathContext } from '../evaluate';
import type { AccessPath, AccessPrincipal } from '../model';

/** One kind of access path: a pure function of the assembly, like a boundary rule. */
export interface AccessPathKind {
  /** The file name under `paths/`, e.g. `ApiGatewayIntegration`. */
  readonly name: string;
  /** What the kind proves, in one sentence, for the report. */
  readonly description: string;
  readonly derive: (ctx: AccessPathContext) => AccessPath[];
}

/**
 * The KMS key a resource is encrypted with (by ARN), for the types the back office and the
 * broker encrypt, or undefined when it uses an AWS owned or managed key.
 */
export function encryptionKeyOf(ctx: AccessPathContext, r: AssemblyResource): string | undefined {
  const p = r.props;
  const key =
    r.type === 'AWS::DynamoDB::Table'
      ? p.SSESpecification?.KMSMasterKeyId
      : r.type === 'AWS::SQS::Queue' || r.type === 'AWS::SNS::Topic'
        ? p.KmsMasterKeyId
        : r.type === 'AWS::Logs::LogGroup' || r.type === 'AWS::SecretsManager::Secret'
          ? p.KmsKeyId
          : r.type === 'AWS::Backup::BackupVault'
            ? p.EncryptionKeyArn
            : undefined;
  if (typeof key !== 'string' || key.startsWith('alias/aws/')) return undefined;
  if (key.startsWith('arn:')) return key;
  // A key id: find the key of the assembly with it.
  const found = ctx.assembly.ofType('AWS::KMS::Key').find((k) => ctx.assembly.refOf(k) === key);
  return found ? ctx.assembly.arnOf(found) : undefined;
}

/** A role principal, optionally as a forward access session through a service (e.g. `sqs`). */
export function asRole(arn: string, via?: string): AccessPrincipal {
  return via ? { kind: 'role', arn, via } : { kind: 'role', arn };
}

/** Stacks a path touches, without repeats. */
export function stacksOf(...resources: (AssemblyResource | undefined)[]): string[] {
  return [
    ...new Set(resources.filter((r): r is AssemblyResource => !!r).map((r) => r.stack.stackName)),
  ];
}

/** A readable short name of a resource for ids: the capability-ish part of its physical name. */
export function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/**
 * The name a path id uses for a resource: its stack and its logical id without CDK's hash, which
 * stay put when a physical name changes (ids are a contract) and tell two products' alike
 * resources apart.
 */
export function idOf(_ctx: AccessPathContext, r: AssemblyResource): string {
  return `${slug(r.stack.stackName)}.${slug(r.logicalId.replace(/[0-9A-F]{8}$/, ''))}`;
}

/** Paths of the KMS key a service uses on a principal's behalf (forward access session). */
export function keyPaths(
  ctx: AccessPathContext,
  base: Omit<AccessPath, 'action' | 'resource' | 'principal' | 'id'> & { readonly id: string },
  principalArn: string,
  via: string,
  keyArn: string | undefined,
  actions: readonly string[],
  keyOwner?: AssemblyResource,
  context?: AccessPath['context'],
): AccessPath[] {
  if (!keyArn) return [];
  return actions.map((action) => ({
    ...base,
    ...(context ? { context: { ...base.context, ...context } } : {}),
    id: `${base.id}.${action.split(':')[1].toLowerCase()}`,
    description: `${base.description} (${action} on its key through ${via})`,
    principal: asRole(principalArn, via),
    action,
    resource: keyArn,
    stacks: [...new Set([...base.stacks, ...stacksOf(ctx.resourceByArn(keyArn), keyOwner)])],
  }));
}
