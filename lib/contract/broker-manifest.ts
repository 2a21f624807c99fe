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
  }[];
  /** Name prefix of app clients onboarded at run time. */
  readonly onboardedClientPrefix: string;
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
    })),
    onboardedClientPrefix: ONBOARDED_CLIENT_PREFIX,
  };
}
