import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { formatPath } from '../blueprint';
import {
  type CapabilityManifestPart,
  type ConsumerManifestPart,
  decodeManifestPart,
  joinBrokerManifest,
  ONBOARDED_CLIENT_PREFIX,
  type SharedManifestPart,
} from '../contract/broker-manifest';
import type { Aws } from './aws';
import { CliError } from './errors';

/** Where `npx cdk synth` writes the manifest, relative to the project directory. */
export const DEFAULT_MANIFEST = path.join('cdk.out', 'broker-manifest.json');

/** `--manifest ssm:<parameter>` reads the manifest the deployed broker publishes in SSM. */
export const SSM_MANIFEST_PREFIX = 'ssm:';

const nullableString = z.string().min(1).nullable();

/**
 * The part of `BrokerManifest` (lib/contract/broker-manifest.ts) the CLI relies on. Objects stay open:
 * fields the broker adds later are kept, so an older CLI reads a newer manifest.
 */
const ManifestSchema = z.looseObject({
  schemaVersion: z.literal(1),
  brokerStack: z.string().min(1),
  userPool: z.looseObject({
    name: z.string().min(1),
    id: nullableString,
    idParameter: z.string().min(1),
  }),
  domain: z.looseObject({
    tokenUrl: nullableString,
    tokenUrlParameter: z.string().min(1),
  }),
  // Optional throughout: a manifest written before the broker published its API id and usage
  // plan still works, and the CLI asks for --api-id and --usage-plan-id.
  api: z
    .looseObject({
      url: nullableString.optional(),
      urlParameter: z.string().min(1).optional(),
      id: nullableString.optional(),
      idParameter: z.string().min(1).optional(),
      onboardedUsagePlanId: nullableString.optional(),
      onboardedUsagePlanIdParameter: z.string().min(1).optional(),
    })
    .optional(),
  scopes: z.array(z.looseObject({ scope: z.string().min(1) })),
  // Optional: only the smoke test reads the routes, and says so when a manifest lacks them.
  routes: z
    .array(
      z.looseObject({
        method: z.string().min(1),
        path: z.string().min(1),
        scope: z.string().min(1),
        operation: z.string().min(1),
        kind: z.enum(['command', 'query']),
        idField: z.string().min(1).optional(),
        body: z.record(z.string(), z.unknown()).optional(),
        queryParameters: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
  consumers: z.array(
    z.looseObject({
      clientName: z.string().min(1),
      kind: z.enum(['product', 'partner']),
      name: z.string().min(1),
      scopes: z.array(z.string().min(1)),
      // Since 0.2.0 each consumer has a stack of its own; older manifests name none.
      stack: z.string().min(1).optional(),
    }),
  ),
  onboardedClientPrefix: z.string().min(1).default(ONBOARDED_CLIENT_PREFIX),
});

export type CliManifest = z.infer<typeof ManifestSchema>;
export type DeclaredConsumer = CliManifest['consumers'][number];

/**
 * The stack that owns a declared consumer's app client and credentials: its own stack (since
 * 0.2.0), or the broker stack in manifests that name none.
 */
export function ownerStackOf(manifest: CliManifest, consumer: DeclaredConsumer): string {
  return consumer.stack ?? manifest.brokerStack;
}
export type ManifestRoute = NonNullable<CliManifest['routes']>[number];

/** A manifest and where it came from, for messages. */
export interface LoadedManifest {
  readonly manifest: CliManifest;
  readonly source: string;
}

/** Validates manifest data; every problem in one line, by path and received value. */
export function parseManifest(data: unknown, source: string): CliManifest {
  const result = ManifestSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    let value: unknown = data;
    for (const part of issue.path) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<PropertyKey, unknown>)[part]
          : undefined;
    }
    const received = value === undefined ? 'undefined' : JSON.stringify(value);
    return `${formatPath(issue.path)}: ${messageOf(issue, value)} (received: ${received.length > 60 ? received.slice(0, 57) + '...' : received})`;
  });
  throw new CliError(
    `${source} is not an Office Zones broker manifest (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
  );
}

/** The problem in the manifest's terms; `value` is what the manifest holds at the issue's path. */
function messageOf(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const a = `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
      return value === undefined ? `is required (${a})` : `must be ${a}`;
    }
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      return 'must not be empty';
    default:
      return issue.message;
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The whole manifest from the shared part the broker publishes and the parts under its paths
 * (see `splitBrokerManifest`): one parameter per capability and per consumer. Data without
 * `parts` is a whole manifest (as brokers before 0.2.0 published it) and is returned as it is.
 */
async function joinParts(data: unknown, source: string, aws: Aws): Promise<unknown> {
  const parts = (data as { parts?: unknown } | null)?.parts;
  if (typeof parts !== 'object' || parts === null) return data;
  const { capabilitiesPath, consumersPath } = parts as Record<string, unknown>;
  if (typeof capabilitiesPath !== 'string' || typeof consumersPath !== 'string')
    throw new CliError(
      `${source} is not an Office Zones broker manifest: parts must name capabilitiesPath and consumersPath (received: ${JSON.stringify(parts)})`,
    );
  const read = async (path: string) =>
    (await aws.parametersByPath(path)).map(({ name, value }) => {
      try {
        return decodeManifestPart(value);
      } catch (e) {
        throw new CliError(`the SSM parameter ${name} is not valid JSON: ${(e as Error).message}`);
      }
    });
  const [capabilities, consumers] = await Promise.all([
    read(capabilitiesPath),
    read(consumersPath),
  ]);
  try {
    return joinBrokerManifest(
      data as SharedManifestPart,
      capabilities as CapabilityManifestPart[],
      consumers as ConsumerManifestPart[],
    );
  } catch (e) {
    throw new CliError(`${source}: ${(e as Error).message} under ${capabilitiesPath}`);
  }
}

/**
 * Reads the broker manifest from a file (default `cdk.out/broker-manifest.json`, relative to
 * `cwd`) or, with `ssm:<parameter>`, from the SSM parameter the deployed broker publishes.
 */
export async function loadManifest(spec: string, cwd: string, aws: Aws): Promise<LoadedManifest> {
  if (spec.startsWith(SSM_MANIFEST_PREFIX)) {
    const name = spec.slice(SSM_MANIFEST_PREFIX.length);
    const text = await aws.parameter(name);
    if (text === undefined) {
      throw new CliError(
        `the SSM parameter ${name} does not exist: is the broker deployed in this account and region? Pass --manifest <file> to use cdk.out instead`,
      );
    }
    const source = `the SSM parameter ${name}`;
    const data = parseJson(text, source);
    return { manifest: parseManifest(await joinParts(data, source, aws), source), source };
  }
  const file = path.resolve(cwd, spec);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint =
      spec === DEFAULT_MANIFEST
        ? 'run npx cdk synth first, or pass --manifest <file> or --manifest ssm:<parameter>'
        : 'pass --manifest <file> or --manifest ssm:<parameter>';
    throw new CliError(
      `cannot read the broker manifest ${spec} (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}): ${hint}`,
    );
  }
  return { manifest: parseManifest(parseJson(text, spec), spec), source: spec };
}
