import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/** What Secrets Manager sends a rotation function, once per step. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** The JSON a consumer's credentials secret holds. */
export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Which Cognito client secret `clientSecret` is; absent until the first rotation. */
  readonly clientSecretId?: string;
  readonly apiKey: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
}

export interface RotationDeps {
  readonly secrets: SecretsManagerClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  /** Requests a token with the credentials; resolves when the token endpoint accepts them. */
  readonly testToken: (credentials: Credentials) => Promise<void>;
}

/**
 * Rotates a consumer's app-client secret with Cognito's own client-secret rotation: a client holds
 * up to two secrets, so the new one is added while the previous one keeps working. A consumer that
 * still has the previous secret cached goes on getting tokens until the next rotation, which
 * retires it: zero downtime, and never more than two secrets alive. The API key is not rotated here
 * (API Gateway keeps the value it was deployed with).
 *
 * Every step may run again: Secrets Manager retries a failed step, and a failed rotation, with the
 * same token. A retried step never retires the secret the current version holds (see
 * `currentSecretId`), so a throttled or lost answer can cost a spare Cognito secret, never access.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html
 */
export async function rotate(event: RotationEvent, deps: RotationDeps): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const metadata = await deps.secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!metadata.RotationEnabled) throw new Error(`secret ${secretId} is not enabled for rotation`);
  const stages = metadata.VersionIdsToStages?.[token];
  if (!stages) throw new Error(`secret version ${token} has no stage for rotation of ${secretId}`);
  if (stages.includes('AWSCURRENT')) return; // already finished
  if (!stages.includes('AWSPENDING'))
    throw new Error(`secret version ${token} is not pending rotation of ${secretId}`);

  switch (event.Step) {
    case 'createSecret':
      return createSecret(secretId, token, deps);
    case 'setSecret':
      return; // Cognito holds the new secret since createSecret
    case 'testSecret':
      return deps.testToken(await read(deps, secretId, 'AWSPENDING', token));
    case 'finishSecret':
      return finishSecret(secretId, token, metadata.VersionIdsToStages ?? {}, deps);
  }
}

async function createSecret(secretId: string, token: string, deps: RotationDeps): Promise<void> {
  const current = await read(deps, secretId, 'AWSCURRENT');
  try {
    await read(deps, secretId, 'AWSPENDING', token);
    return; // a retried step: the pending version exists already
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const { userPoolId } = deps;
  const listed =
    (
      await deps.cognito.send(
        new ListUserPoolClientSecretsCommand({
          UserPoolId: userPoolId,
          ClientId: current.clientId,
        }),
      )
    ).ClientSecrets ?? [];
  // Keep the secret consumers use now; retire the others (the previous rotation's, and any that a
  // failed attempt added but never stored), so the client has room for the new one.
  const keep = currentSecretId(current, listed);
  if (!listed.some((s) => s.ClientSecretId === keep)) {
    throw new Error(
      `client ${current.clientId} no longer holds its current secret ${keep}; refusing to retire any secret`,
    );
  }
  for (const old of listed) {
    if (old.ClientSecretId && old.ClientSecretId !== keep) {
      await deps.cognito.send(
        new DeleteUserPoolClientSecretCommand({
          UserPoolId: userPoolId,
          ClientId: current.clientId,
          ClientSecretId: old.ClientSecretId,
        }),
      );
    }
  }
  const added = (
    await deps.cognito.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: current.clientId }),
    )
  ).ClientSecretDescriptor;
  if (!added?.ClientSecretValue || !added.ClientSecretId)
    throw new Error(`Cognito returned no new secret for client ${current.clientId}`);
  const pending: Credentials = {
    ...current,
    clientSecret: added.ClientSecretValue,
    clientSecretId: added.ClientSecretId,
  };
  await deps.secrets.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify(pending),
      VersionStages: ['AWSPENDING'],
    }),
  );
}

/**
 * Which of the client's secrets the current credentials hold. After a rotation the secret records
 * it (`clientSecretId`). Before the first one it is the secret Cognito generated with the client:
 * the oldest, because every other secret was added later by a rotation attempt that never
 * finished (a retried `createSecret` finds the one its failed attempt added, which is the newest).
 */
function currentSecretId(
  current: Credentials,
  listed: readonly { ClientSecretId?: string; ClientSecretCreateDate?: Date | number }[],
): string | undefined {
  if (current.clientSecretId) return current.clientSecretId;
  const byAge = [...listed].sort(
    (a, b) => Number(a.ClientSecretCreateDate ?? 0) - Number(b.ClientSecretCreateDate ?? 0),
  );
  return byAge[0]?.ClientSecretId;
}

async function finishSecret(
  secretId: string,
  token: string,
  versions: Record<string, string[]>,
  deps: RotationDeps,
): Promise<void> {
  const currentVersion = Object.entries(versions).find(([, stages]) =>
    stages.includes('AWSCURRENT'),
  )?.[0];
  if (currentVersion === token) return;
  await deps.secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      RemoveFromVersionId: currentVersion,
    }),
  );
}

async function read(
  deps: RotationDeps,
  secretId: string,
  stage: string,
  versionId?: string,
): Promise<Credentials> {
  const value = await deps.secrets.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }),
  );
  return JSON.parse(value.SecretString ?? '{}') as Credentials;
}

/** Asks the token endpoint for a client-credentials token; throws unless it answers 200 with one. */
export async function requestToken(credentials: Credentials, timeoutMs = 5000): Promise<void> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
    'base64',
  );
  const response = await fetch(credentials.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
  };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(
      `the token endpoint refused the new secret: HTTP ${response.status} ${body.error ?? ''}`.trim(),
    );
  }
}

let clients: { secrets: SecretsManagerClient; cognito: CognitoIdentityProviderClient } | undefined;

export async function handler(event: RotationEvent): Promise<void> {
  const userPoolId = process.env.USER_POOL_ID;
  if (!userPoolId) throw new Error('environment variable USER_POOL_ID is not set');
  clients ??= {
    secrets: new SecretsManagerClient({}),
    cognito: new CognitoIdentityProviderClient({}),
  };
  await rotate(event, { ...clients, userPoolId, testToken: (c) => requestToken(c) });
}
