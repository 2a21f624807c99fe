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
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../../lib/blueprint';
import { brokerManifest, type BrokerManifest } from '../../../../lib/broker-manifest';
import { runCli } from '../../../../lib/cli';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';

// The CLI runs in this process and takes its credentials from the default chain, as a user's
// would: static test keys in the environment, and no shared config files or instance metadata.
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
 * cognito-local with a deployed reference broker: its user pool (named as the broker names it)
 * and the app clients of the consumers the reference blueprint declares; the manifest in a file.
 */
export interface TestBroker {
  readonly server: CognitoLocal;
  readonly poolId: string;
  /** A directory for files of the test (manifest, --out files). */
  readonly dir: string;
  readonly manifestFile: string;
  readonly manifest: BrokerManifest;
  /** A direct SDK client to the emulator, to check and change state behind the CLI's back. */
  readonly cognito: CognitoIdentityProviderClient;
  /** `--endpoint-url --region --manifest --user-pool-id` for this broker. */
  args(endpoint?: string): string[];
  /** Every app client's name (sorted). */
  clientNames(): Promise<string[]>;
  /** Every app client with its settings, secrets included. */
  clients(): Promise<Record<string, any>[]>;
  /** A new user pool for the broker, as a fresh deploy: the declared clients and nothing else. */
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

export async function startBroker(): Promise<TestBroker> {
  const server = await startCognitoLocal();
  const cognito = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const manifest = referenceManifest();
  let poolId = await deploy(cognito, manifest);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cli-'));
  const manifestFile = path.join(dir, 'broker-manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  const listIds = async () =>
    (await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }))).UserPoolClients ??
    [];
  return {
    server,
    get poolId() {
      return poolId;
    },
    dir,
    manifestFile,
    manifest,
    cognito,
    redeploy: async () => {
      poolId = await deploy(cognito, manifest);
    },
    args: (endpoint = server.endpoint) => [
      '--endpoint-url',
      endpoint,
      '--region',
      REGION,
      '--manifest',
      manifestFile,
      '--user-pool-id',
      poolId,
    ],
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
