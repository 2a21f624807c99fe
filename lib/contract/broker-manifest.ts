import { gunzipSync, gzipSync } from 'node:zlib';
import type { Blueprint } from '../blueprint';
import {
  capabilityScopeNames,
  clientName,
  consumers,
  operationMethod,
  operationScope,
} from '../blueprint';
import { physicalNamePrefix } from '../blueprint';
import { brokerParameterNames, stackName } from '../blueprint/names';

/** App clients onboarded at run time by the operations CLI are named `onboarded.<name>`. */
export const ONBOARDED_CLIENT_PREFIX = 'onboarded.';

/**
 * What the broker offers and to whom: the contract between the broker stack, the operations CLI
 * and the runtimes. Written to `cdk.out/broker-manifest.json` at synth (deploy-time values null)
 * and published by the broker stack in SSM with them filled in.
 */
export interface BrokerManifest {
  readonly schemaVersion: 1;
  readonly enterprise: string;
  readonly environment: string;
  readonly brokerStack: string;
  readonly userPool: {
    readonly name: string;
    readonly id: string | null;
    readonly idParameter: string;
  };
  readonly domain: {
    readonly prefix: string;
    readonly tokenUrl: string | null;
    readonly tokenUrlParameter: string;
  };
  readonly api: {
    readonly stage: string;
    readonly url: string | null;
    readonly urlParameter: string;
    /** The REST API's id. */
    readonly id: string | null;
    readonly idParameter: string;
    /** The usage plan that partners onboarded at run time join (their API key's throttle). */
    readonly onboardedUsagePlanId: string | null;
    readonly onboardedUsagePlanIdParameter: string;
  };
  /** Every scope the broker offers. */
  readonly scopes: readonly {
    readonly scope: string;
    readonly capability: string;
    readonly operations: readonly string[];
  }[];
  readonly routes: readonly {
    readonly method: string;
    readonly path: string;
    readonly scope: string;
    readonly operation: string;
    readonly kind: 'command' | 'query';
    /** Commands: the body field that identifies the record; the 202 answer echoes it. */
    readonly idField?: string;
    /** Commands: the JSON Schema (draft 4) the broker validates the body against. */
    readonly body?: Readonly<Record<string, unknown>>;
    /** Queries: the query-string parameters the broker requires. */
    readonly queryParameters?: readonly string[];
  }[];
  /** The consumers the blueprint declares; their app clients are matched by `clientName`. */
  readonly consumers: readonly {
    readonly clientName: string;
    readonly kind: 'product' | 'partner';
    readonly name: string;
    readonly owner: string;
    readonly scopes: readonly string[];
    /** The stack that owns its app client, credentials and API key (since 0.2.0). */
    readonly stack?: string;
  }[];
  /** Name prefix of app clients onboarded at run time. */
  readonly onboardedClientPrefix: string;
}

/** A capability's part of the manifest: its scopes and routes. */
export interface CapabilityManifestPart {
  readonly capability: string;
  readonly scopes: BrokerManifest['scopes'];
  readonly routes: BrokerManifest['routes'];
}

/** A consumer's part of the manifest. */
export type ConsumerManifestPart = BrokerManifest['consumers'][number];

/**
 * The manifest's shared part: everything but the scopes, routes and consumers, with where its
 * other parts are published. Its size does not grow with the number of consumers.
 */
export interface SharedManifestPart extends Omit<
  BrokerManifest,
  'scopes' | 'routes' | 'consumers'
> {
  /** The capabilities, in the blueprint's order; each has a part under `parts.capabilitiesPath`. */
  readonly capabilities: readonly string[];
  /** The SSM paths of the other parts: one parameter per capability and per consumer. */
  readonly parts: {
    readonly capabilitiesPath: string;
    readonly consumersPath: string;
  };
}

/**
 * The manifest as it is published in SSM: one SSM parameter holds at most 8 KB (advanced tier),
 * and a manifest of 1,000 consumers and 25 capabilities holds far more, so it is split into a
 * shared part (the broker stack's), a part per capability (the broker stack's) and a part per
 * consumer (published by the consumer's own stack, so adding a consumer changes no other stack).
 * `joinBrokerManifest` puts them back together.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
export function splitBrokerManifest(
  manifest: BrokerManifest,
  paths: SharedManifestPart['parts'],
): {
  readonly shared: SharedManifestPart;
  readonly capabilities: readonly CapabilityManifestPart[];
  readonly consumers: readonly ConsumerManifestPart[];
} {
  const { scopes, routes, consumers, ...rest } = manifest;
  const capabilities = [...new Set(scopes.map((s) => s.capability))];
  return {
    shared: { ...rest, capabilities, parts: paths },
    capabilities: capabilities.map((capability) => ({
      capability,
      scopes: scopes.filter((s) => s.capability === capability),
      routes: routes.filter((r) => r.scope.split('/')[0] === capability),
    })),
    consumers,
  };
}

/** Bytes a Standard-tier SSM parameter holds; a part larger than this is published compressed. */
const STANDARD_PARAMETER_BYTES = 4096;

/**
 * A manifest part as one SSM parameter value: its JSON, or, when the JSON holds more than 4 KB
 * (a capability with large body schemas), `{"gzip":"<base64>"}` of it, which JSON schemas shrink
 * to a fraction. `decodeManifestPart` reads both.
 */
export function encodeManifestPart(part: unknown): string {
  const json = JSON.stringify(part);
  if (Buffer.byteLength(json) <= STANDARD_PARAMETER_BYTES) return json;
  return JSON.stringify({ gzip: gzipSync(json, { level: 9 }).toString('base64') });
}

/**
 * A manifest part from its SSM parameter value (see `encodeManifestPart`).
 * @throws SyntaxError when the value is not JSON, or holds `gzip` that does not inflate to JSON
 */
export function decodeManifestPart(value: string): unknown {
  const data: unknown = JSON.parse(value);
  const gzip = (data as { gzip?: unknown } | null)?.gzip;
  if (typeof gzip !== 'string' || Object.keys(data as object).length !== 1) return data;
  let json: string;
  try {
    json = gunzipSync(Buffer.from(gzip, 'base64')).toString('utf8');
  } catch (e) {
    throw new SyntaxError(`its gzip value does not inflate (${(e as Error).message})`);
  }
  return JSON.parse(json);
}

/**
 * The manifest from its published parts (see `splitBrokerManifest`): capabilities in the shared
 * part's order, consumers sorted by client name (SSM returns parameters by name; the blueprint's
 * order is not kept).
 * @throws Error when a capability the shared part lists has no part.
 */
export function joinBrokerManifest(
  shared: SharedManifestPart,
  capabilities: readonly CapabilityManifestPart[],
  consumers: readonly ConsumerManifestPart[],
): BrokerManifest {
  const { capabilities: order, ...withParts } = shared;
  const rest: Omit<SharedManifestPart, 'capabilities' | 'parts'> & { parts?: unknown } = {
    ...withParts,
  };
  delete rest.parts;
  const byName = new Map(capabilities.map((c) => [c.capability, c]));
  const missing = order.filter((name) => !byName.has(name));
  if (missing.length)
    throw new Error(
      `the broker manifest lists capabilities without a published part: ${missing.join(', ')}`,
    );
  return {
    ...rest,
    scopes: order.flatMap((name) => byName.get(name)!.scopes),
    routes: order.flatMap((name) => byName.get(name)!.routes),
    consumers: [...consumers].sort((a, b) => a.clientName.localeCompare(b.clientName)),
  };
}

/** Values known only once the broker is deployed. */
export interface DeployedBrokerValues {
  readonly userPoolId: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly apiId: string;
  readonly onboardedUsagePlanId: string;
}

export const BROKER_STAGE_NAME = 'v1';

export function brokerManifest(
  blueprint: Blueprint,
  deployed?: DeployedBrokerValues,
): BrokerManifest {
  const parameters = brokerParameterNames(blueprint);
  const capabilities = blueprint.backOffice.capabilities;
  return {
    schemaVersion: 1,
    enterprise: blueprint.enterprise,
    environment: blueprint.environment,
    brokerStack: stackName(blueprint, 'Broker'),
    userPool: {
      name: `${physicalNamePrefix(blueprint)}-broker`,
      id: deployed?.userPoolId ?? null,
      idParameter: parameters.userPoolId,
    },
    domain: {
      prefix: blueprint.broker.domainPrefix,
      tokenUrl: deployed?.tokenUrl ?? null,
      tokenUrlParameter: parameters.tokenUrl,
    },
    api: {
      stage: BROKER_STAGE_NAME,
      url: deployed?.apiUrl ?? null,
      urlParameter: parameters.apiUrl,
      id: deployed?.apiId ?? null,
      idParameter: parameters.apiId,
      onboardedUsagePlanId: deployed?.onboardedUsagePlanId ?? null,
      onboardedUsagePlanIdParameter: parameters.onboardedUsagePlanId,
    },
    scopes: capabilities.flatMap((capability) =>
      capabilityScopeNames(capability).map((scopeName) => ({
        scope: `${capability.name}/${scopeName}`,
        capability: capability.name,
        operations: capability.operations
          .filter((op) => operationScope(capability, op) === `${capability.name}/${scopeName}`)
          .map((op) => op.name),
      })),
    ),
    routes: capabilities.flatMap((capability) =>
      capability.operations.map((op) => ({
        method: operationMethod(op),
        path: op.path,
        scope: operationScope(capability, op),
        operation: `${capability.name}.${op.name}`,
        kind: op.kind,
        // What a caller needs to build a valid request (the smoke test does): the broker
        // validates against the same schema and parameters.
        ...(op.kind === 'command'
          ? { idField: op.idField ?? capability.ledger.partitionKey, body: op.body ?? {} }
          : {}),
        ...(op.queryParameters?.length ? { queryParameters: [...op.queryParameters] } : {}),
      })),
    ),
    consumers: consumers(blueprint).map((c) => ({
      clientName: clientName(c),
      kind: c.kind,
      name: c.name,
      owner: c.owner,
      scopes: [...c.scopes],
      stack: stackName(blueprint, `Consumer-${c.kind}-${c.name}`),
    })),
    onboardedClientPrefix: ONBOARDED_CLIENT_PREFIX,
  };
}
