import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import {
  clientName,
  consumers,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../../../../lib/blueprint';
import {
  BROKER_STAGE_NAME,
  brokerManifest,
  type BrokerManifest,
} from '../../../../lib/contract/broker-manifest';
import { runCli } from '../../../../lib/cli';
import { startApiGatewayStandIn, type ApiGatewayStandIn, type StoredKey } from './api-gateway';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';

/**
 * Sets the environment the CLI meets in these tests. The CLI runs in the test's process and takes
 * its credentials from the default chain, as a user's would: static test keys in the environment,
 * and no shared config files or instance metadata. Call it at the top of each test file: modules
 * load once per worker (DEC-042) and each file gets its environment back when it ends.
 */
export function useTestCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = path.join(os.tmpdir(), 'oz-no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(os.tmpdir(), 'oz-no-aws-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // Notices on stderr from the SDKs (cognito-local still uses v2) are not what the tests read.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
}

export const REGION = 'eu-west-1';

/** The manifest `npx cdk synth` writes for the reference blueprint. */
export function referenceManifest(): BrokerManifest {
  return brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT));
}

/** The settings the broker stack gives a declared consumer's app client. */
export function brokerClientSettings(name: string, scopes: string[]) {
  return {
    ClientName: name,
    GenerateSecret: true,
    AllowedOAuthFlows: ['client_credentials' as const],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: scopes,
    SupportedIdentityProviders: ['COGNITO'],
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH' as const],
  };
}

/**
 * cognito-local and the API Gateway stand-in with a deployed reference broker: its user pool
 * (named as the broker names it) and the app clients of the consumers the reference blueprint
 * declares; its REST API with a usage plan per throttle and an enabled API key per declared
 * consumer; the manifest in a file. The account also holds another deployment of the broker
 * (another REST API, as a prod environment next to dev would have) with keys of the same names
 * and one of a partner onboarded there, which the CLI must leave alone.
 */
export interface TestBroker {
  readonly server: CognitoLocal;
  /** API Gateway's REST calls are served here; every other call goes on to cognito-local. */
  readonly gateway: ApiGatewayStandIn;
  /** The endpoint of the test's AWS account: `--endpoint-url`. */
  readonly endpoint: string;
  readonly poolId: string;
  /** The broker's REST API. */
  readonly apiId: string;
  /** The usage plan onboarded partners join (the default throttle's). */
  readonly usagePlanId: string;
  /** The usage plan of the reference's partner with a throttle of its own. */
  readonly partnerPlanId: string;
  /** The other broker's REST API in the same account. */
  readonly otherApiId: string;
  /** A directory for files of the test (manifest, --out files). */
  readonly dir: string;
  readonly manifestFile: string;
  readonly manifest: BrokerManifest;
  /** A direct SDK client to the emulator, to check and change state behind the CLI's back. */
  readonly cognito: CognitoIdentityProviderClient;
  /** `--endpoint-url --region --manifest --user-pool-id --api-id --usage-plan-id` for this broker. */
  args(endpoint?: string): string[];
  /** The API keys of this broker with this name (in a plan of its API, or in none). */
  keysNamed(name: string): StoredKey[];
  /**
   * Adds an API key as someone in the console would: enabled and in the onboarded partners' usage
   * plan unless told otherwise (`plan: null` leaves it in none).
   */
  addApiKey(name: string, options?: { plan?: string | null; enabled?: boolean }): StoredKey;
  /** Every app client's name (sorted). */
  clientNames(): Promise<string[]>;
  /** Every app client with its settings, secrets included. */
  clients(): Promise<Record<string, any>[]>;
  /**
   * A fresh account with the broker freshly deployed: a new user pool with the declared clients,
   * the API keys of both brokers, and nothing else.
   */
  redeploy(): Promise<void>;
  /** Adds an app client as someone in the console would. Returns its id. */
  addClient(settings: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Creates the broker's user pool and its declared consumers' app clients, as a deploy would. */
async function deploy(cognito: CognitoIdentityProviderClient, manifest: BrokerManifest) {
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: manifest.userPool.name }));
  const poolId = pool.UserPool!.Id!;
  for (const c of manifest.consumers) {
    await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ...brokerClientSettings(c.clientName, [...c.scopes]),
      }),
    );
  }
  return poolId;
}

/** The broker's API side, as a deploy of the broker stack leaves it. */
interface DeployedApi {
  readonly apiId: string;
  readonly usagePlanId: string;
  readonly partnerPlanId: string;
  readonly otherApiId: string;
}

/**
 * A REST API, a usage plan per throttle and an enabled API key per declared consumer, named as
 * its app client (what the broker stack makes), for this broker and for another one.
 */
function deployApi(gateway: ApiGatewayStandIn): DeployedApi {
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const defaultThrottle = blueprint.broker.consumerThrottle ?? { rateLimit: 50, burstLimit: 100 };
  const deployOne = (prefix: string) => {
    const apiId = gateway.addRestApi();
    const plans = new Map<number, string>();
    const planFor = (rateLimit: number) => {
      if (!plans.has(rateLimit)) {
        plans.set(
          rateLimit,
          gateway.addUsagePlan(`${prefix}-broker-${rateLimit}rps`, apiId, BROKER_STAGE_NAME),
        );
      }
      return plans.get(rateLimit)!;
    };
    const defaultPlan = planFor(defaultThrottle.rateLimit);
    for (const c of consumers(blueprint)) {
      const key = gateway.addApiKey(clientName(c));
      gateway.addToPlan(planFor((c.throttle ?? defaultThrottle).rateLimit), key.id);
    }
    return { apiId, defaultPlan, plans };
  };
  gateway.reset();
  const ours = deployOne('OfficeZones-dev');
  const other = deployOne('OfficeZones-prod');
  gateway.addToPlan(other.defaultPlan, gateway.addApiKey('onboarded.hooli').id);
  return {
    apiId: ours.apiId,
    usagePlanId: ours.defaultPlan,
    partnerPlanId: [...ours.plans.values()].find((p) => p !== ours.defaultPlan)!,
    otherApiId: other.apiId,
  };
}

export async function startBroker(): Promise<TestBroker> {
  const server = await startCognitoLocal();
  const gateway = await startApiGatewayStandIn(server.endpoint);
  const cognito = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const manifest = referenceManifest();
  let poolId = await deploy(cognito, manifest);
  let api = deployApi(gateway);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cli-'));
  const manifestFile = path.join(dir, 'broker-manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  const listIds = async () =>
    (await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }))).UserPoolClients ??
    [];
  return {
    server,
    gateway,
    endpoint: gateway.endpoint,
    get poolId() {
      return poolId;
    },
    get apiId() {
      return api.apiId;
    },
    get usagePlanId() {
      return api.usagePlanId;
    },
    get partnerPlanId() {
      return api.partnerPlanId;
    },
    get otherApiId() {
      return api.otherApiId;
    },
    dir,
    manifestFile,
    manifest,
    cognito,
    redeploy: async () => {
      poolId = await deploy(cognito, manifest);
      api = deployApi(gateway);
    },
    args: (endpoint = gateway.endpoint) => [
      '--endpoint-url',
      endpoint,
      '--region',
      REGION,
      '--manifest',
      manifestFile,
      '--user-pool-id',
      poolId,
      '--api-id',
      api.apiId,
      '--usage-plan-id',
      api.usagePlanId,
    ],
    keysNamed: (name) => {
      const inOtherApi = (keyId: string) =>
        [...gateway.plans.values()].some(
          (p) => p.keys.has(keyId) && p.apiStages.every((s) => s.apiId !== api.apiId),
        );
      return [...gateway.keys.values()].filter((k) => k.name === name && !inOtherApi(k.id));
    },
    addApiKey: (name, options = {}) => {
      const key = gateway.addApiKey(name, { enabled: options.enabled ?? true });
      const plan = options.plan === undefined ? api.usagePlanId : options.plan;
      if (plan !== null) gateway.addToPlan(plan, key.id);
      return key;
    },
    clientNames: async () => (await listIds()).map((c) => c.ClientName ?? '').sort(),
    clients: async () => {
      const out: Record<string, any>[] = [];
      for (const c of await listIds()) {
        const d = await cognito.send(
          new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }),
        );
        out.push(d.UserPoolClient as Record<string, any>);
      }
      return out;
    },
    addClient: async (settings) => {
      const out = await cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'x', ...settings }),
      );
      return out.UserPoolClient!.ClientId!;
    },
    close: async () => {
      cognito.destroy();
      await gateway.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stream that keeps what is written, or fails every write with `fail`. */
export class Capture extends Writable {
  text = '';
  constructor(private readonly fail?: NodeJS.ErrnoException) {
    super();
    // As bin/office-zones.ts does for process.stdout: the failure reaches the write callback.
    this.on('error', () => undefined);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void) {
    if (this.fail) return done(this.fail);
    this.text += chunk.toString('utf8');
    done();
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Backoff for tests: the same doubling with full jitter, in milliseconds instead of seconds. */
export const FAST_RETRIES = { throttlingBaseDelayMs: 5, transientBaseDelayMs: 2, maxDelayMs: 50 };

/** Runs the CLI in this process, as bin/office-zones.ts does, and collects what it printed. */
export async function cli(
  args: string[],
  options: { cwd?: string; stdout?: Capture } = {},
): Promise<CliRun> {
  const stdout = options.stdout ?? new Capture();
  const stderr = new Capture();
  const code = await runCli(
    args,
    { stdout, stderr, cwd: options.cwd ?? os.tmpdir() },
    { retryTiming: FAST_RETRIES },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}
