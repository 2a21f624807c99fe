import {
  AddUserPoolClientSecretCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AwsCallError, type Aws } from './aws';
import { type DeployedRef, resolveDeployed } from './deployed';
import { CliError } from './errors';
import type { CliManifest, DeclaredConsumer } from './manifest';

/** Where an app client comes from. */
export type Origin = 'declared' | 'onboarded' | 'unknown';

/** An app client as the CLI shows it. It never holds a secret. */
export interface AppClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly origin: Origin;
  /** The blueprint's consumer, for declared clients. */
  readonly declared?: DeclaredConsumer;
  /** `AllowedOAuthFlows`, e.g. `client_credentials`. */
  readonly oauthFlows: readonly string[];
  /** `ExplicitAuthFlows`, e.g. `ALLOW_REFRESH_TOKEN_AUTH`. */
  readonly authFlows: readonly string[];
  readonly scopes: readonly string[];
  readonly createdAt?: Date;
}

/** A client secret's metadata from Cognito's secret-rotation API (never its value). */
export interface SecretInfo {
  readonly id: string;
  readonly createdAt?: Date;
}

/** The pool id and where it came from, for messages. */
export type PoolRef = DeployedRef;

/** Tells declared, onboarded and unknown app clients apart by name, as the broker names them. */
export function originOf(
  clientName: string,
  manifest: CliManifest,
): { origin: Origin; declared?: DeclaredConsumer } {
  const declared = manifest.consumers.find((c) => c.clientName === clientName);
  if (declared) return { origin: 'declared', declared };
  if (
    clientName.startsWith(manifest.onboardedClientPrefix) &&
    clientName.length > manifest.onboardedClientPrefix.length
  ) {
    return { origin: 'onboarded' };
  }
  return { origin: 'unknown' };
}

/**
 * The user pool id: `--user-pool-id`, then the manifest's `userPool.id`, then the SSM parameter
 * the deployed broker publishes (`userPool.idParameter`).
 */
export function resolvePoolId(
  flag: string | undefined,
  manifest: CliManifest,
  manifestSource: string,
  aws: Aws,
): Promise<PoolRef> {
  return resolveDeployed(
    {
      what: 'user pool id',
      flag: '--user-pool-id',
      given: flag,
      inManifest: manifest.userPool.id,
      parameter: manifest.userPool.idParameter,
    },
    manifest,
    manifestSource,
    aws,
  );
}

/** Settings of every app client the CLI creates: the broker's machine-client settings. */
function machineClientSettings(name: string, scopes: readonly string[]) {
  return {
    ClientName: name,
    GenerateSecret: true,
    AllowedOAuthFlows: ['client_credentials' as const],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: [...scopes],
    SupportedIdentityProviders: ['COGNITO'],
    // Refresh-token auth cannot be switched off; no flow for people is enabled.
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH' as const],
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED' as const,
    AccessTokenValidity: 60,
    TokenValidityUnits: { AccessToken: 'minutes' as const },
  };
}

/** The page size of ListUserPoolClients; Cognito's maximum. */
const PAGE_SIZE = 60;
/** How many DescribeUserPoolClient calls run at once. */
const DESCRIBE_CONCURRENCY = 4;

/** The broker's user pool, through the Cognito API. Every list call is paginated. */
export class BrokerPool {
  constructor(
    private readonly aws: Aws,
    readonly ref: PoolRef,
    readonly manifest: CliManifest,
  ) {}

  private get id() {
    return this.ref.id;
  }

  /**
   * Checks that the pool exists and is the broker's (by the name the manifest gives it), so a
   * wrong id fails here instead of reporting every client as drift.
   */
  async verify(): Promise<void> {
    let name: string | undefined;
    try {
      const out = await this.aws.call('cognito-idp', 'DescribeUserPool', true, () =>
        this.aws.cognito.send(new DescribeUserPoolCommand({ UserPoolId: this.id })),
      );
      name = out.UserPool?.Name;
    } catch (e) {
      if (e instanceof AwsCallError && e.errorName === 'ResourceNotFoundException') {
        throw new CliError(
          `user pool ${this.id} (from ${this.ref.source}) does not exist in this account and region: check --user-pool-id, --region and --profile`,
        );
      }
      throw e;
    }
    if (name !== this.manifest.userPool.name) {
      throw new CliError(
        `user pool ${this.id} (from ${this.ref.source}) is named ${JSON.stringify(name)}, not ${JSON.stringify(this.manifest.userPool.name)} as the broker manifest says: wrong pool id or wrong manifest`,
      );
    }
  }

  /** Every app client's id and name, page by page. */
  async listClientNames(): Promise<{ clientId: string; clientName: string }[]> {
    const out: { clientId: string; clientName: string }[] = [];
    const seen = new Set<string>();
    let next: string | undefined;
    do {
      const token = next;
      const page = await this.aws.call('cognito-idp', 'ListUserPoolClients', true, () =>
        this.aws.cognito.send(
          new ListUserPoolClientsCommand({
            UserPoolId: this.id,
            MaxResults: PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      for (const c of page.UserPoolClients ?? []) {
        if (c.ClientId) out.push({ clientId: c.ClientId, clientName: c.ClientName ?? '' });
      }
      next = page.NextToken || undefined;
      if (next && seen.has(next)) {
        throw new CliError(`ListUserPoolClients returned the page token ${next} twice`);
      }
      if (next) seen.add(next);
    } while (next);
    return out;
  }

  /** Every app client with its flows and scopes, sorted by name then creation. */
  async listClients(): Promise<AppClient[]> {
    const names = await this.listClientNames();
    const clients: AppClient[] = [];
    let index = 0;
    const worker = async () => {
      while (index < names.length) {
        const { clientId } = names[index++];
        const client = await this.describeClient(clientId);
        // A client deleted between the list and the describe is simply not there any more.
        if (client) clients.push(client);
      }
    };
    await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, worker));
    return clients.sort(
      (a, b) =>
        a.clientName.localeCompare(b.clientName) ||
        (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) ||
        a.clientId.localeCompare(b.clientId),
    );
  }

  /** The app clients with one name (a consumer has two during a successor-client rotation). */
  async clientsNamed(clientName: string): Promise<AppClient[]> {
    const ids = (await this.listClientNames()).filter((c) => c.clientName === clientName);
    const clients: AppClient[] = [];
    for (const { clientId } of ids) {
      const client = await this.describeClient(clientId);
      if (client) clients.push(client);
    }
    return clients.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  }

  async describeClient(clientId: string): Promise<AppClient | undefined> {
    let raw: UserPoolClientType | undefined;
    try {
      const out = await this.aws.call('cognito-idp', 'DescribeUserPoolClient', true, () =>
        this.aws.cognito.send(
          new DescribeUserPoolClientCommand({ UserPoolId: this.id, ClientId: clientId }),
        ),
      );
      raw = out.UserPoolClient;
    } catch (e) {
      if (e instanceof AwsCallError && e.errorName === 'ResourceNotFoundException')
        return undefined;
      throw e;
    }
    if (!raw) return undefined;
    // The response carries the client secret; only what the CLI shows is kept.
    const clientName = raw.ClientName ?? '';
    return {
      clientId,
      clientName,
      ...originOf(clientName, this.manifest),
      oauthFlows:
        raw.AllowedOAuthFlowsUserPoolClient === false ? [] : [...(raw.AllowedOAuthFlows ?? [])],
      authFlows: [...(raw.ExplicitAuthFlows ?? [])],
      scopes: [...(raw.AllowedOAuthScopes ?? [])],
      ...(raw.CreationDate ? { createdAt: raw.CreationDate } : {}),
    };
  }

  /**
   * Creates a client-credentials app client with a generated secret. Not retried after a lost
   * connection (it may have been created); the caller cleans up by name.
   */
  async createMachineClient(
    clientName: string,
    scopes: readonly string[],
  ): Promise<{ clientId: string; clientSecret: string }> {
    const out = await this.aws.call('cognito-idp', 'CreateUserPoolClient', false, () =>
      this.aws.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: this.id,
          ...machineClientSettings(clientName, scopes),
        }),
      ),
    );
    const clientId = out.UserPoolClient?.ClientId;
    const clientSecret = out.UserPoolClient?.ClientSecret;
    if (!clientId || !clientSecret) {
      if (clientId) await this.deleteClient(clientId);
      throw new CliError(
        `CreateUserPoolClient answered without a client id and secret for ${clientName}; nothing was kept`,
      );
    }
    return { clientId, clientSecret };
  }

  /** Deletes an app client; true when it was there. */
  async deleteClient(clientId: string): Promise<boolean> {
    try {
      await this.aws.call('cognito-idp', 'DeleteUserPoolClient', true, () =>
        this.aws.cognito.send(
          new DeleteUserPoolClientCommand({ UserPoolId: this.id, ClientId: clientId }),
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof AwsCallError && e.errorName === 'ResourceNotFoundException') return false;
      throw e;
    }
  }

  /**
   * The client's secrets from Cognito's secret-rotation API, oldest first, or `undefined` when the
   * server does not offer that API (cognito-local answers `Unsupported`).
   */
  async listSecrets(clientId: string): Promise<SecretInfo[] | undefined> {
    const secrets: SecretInfo[] = [];
    let next: string | undefined;
    try {
      do {
        const token = next;
        const page = await this.aws.call('cognito-idp', 'ListUserPoolClientSecrets', true, () =>
          this.aws.cognito.send(
            new ListUserPoolClientSecretsCommand({
              UserPoolId: this.id,
              ClientId: clientId,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        );
        for (const s of page.ClientSecrets ?? []) {
          if (s.ClientSecretId) {
            secrets.push({
              id: s.ClientSecretId,
              ...(s.ClientSecretCreateDate ? { createdAt: s.ClientSecretCreateDate } : {}),
            });
          }
        }
        next = page.NextToken || undefined;
      } while (next);
    } catch (e) {
      if (e instanceof AwsCallError && isUnsupported(e)) return undefined;
      throw e;
    }
    return secrets.sort(
      (a, b) =>
        (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.id.localeCompare(b.id),
    );
  }

  /** Adds a generated secret to a client (Cognito keeps at most two). */
  async addSecret(clientId: string): Promise<{ id: string; secret: string }> {
    const out = await this.aws.call('cognito-idp', 'AddUserPoolClientSecret', false, () =>
      this.aws.cognito.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: this.id, ClientId: clientId }),
      ),
    );
    const d = out.ClientSecretDescriptor;
    if (!d?.ClientSecretId || !d.ClientSecretValue) {
      throw new CliError('AddUserPoolClientSecret answered without the new secret');
    }
    return { id: d.ClientSecretId, secret: d.ClientSecretValue };
  }

  async deleteSecret(clientId: string, secretId: string): Promise<void> {
    await this.aws.call('cognito-idp', 'DeleteUserPoolClientSecret', true, () =>
      this.aws.cognito.send(
        new DeleteUserPoolClientSecretCommand({
          UserPoolId: this.id,
          ClientId: clientId,
          ClientSecretId: secretId,
        }),
      ),
    );
  }
}

/** The server does not have this operation (cognito-local, or an older endpoint). */
export function isUnsupported(e: AwsCallError): boolean {
  return ['Unsupported', 'UnknownOperationException', 'UnsupportedOperation'].includes(e.errorName);
}
