import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP peer for the calls a client-secret rotation makes: Secrets Manager's version
 * stages, Cognito's client-secret rotation (which cognito-local does not implement) and the OAuth
 * token endpoint, all sharing one state so a test can see what a consumer would see.
 *
 * The token endpoint behaves as Cognito's documents it for the client-credentials grant: HTTP
 * Basic client authentication, a form body, `scope` optional (scopes the client is not allowed
 * are ignored; none asked means all it is allowed; nothing left is `invalid_scope`), errors as
 * `400 {"error": ...}`, and an access token that is an RS256-signed JWT with Cognito's claims
 * (`client_id`, `scope`, `token_use: access`, `iss`, `exp`), which `verifyAccessToken` checks as
 * API Gateway's Cognito authorizer does.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export interface StandInState {
  /**
   * Secret versions by version id: value and stages. A version Secrets Manager has labelled
   * AWSPENDING before createSecret ran has no value yet.
   */
  versions: Map<string, { value?: string; stages: string[] }>;
  /** The app client's live secrets, oldest first. */
  clientSecrets: { id: string; value: string; created: number }[];
  /** Set to make the token endpoint refuse everything. */
  tokenEndpointDown: boolean;
  /** The custom scopes the app client is allowed (`AllowedOAuthScopes`). */
  clientScopes: string[];
  /** Seconds an access token is valid (the app client's access-token validity). */
  accessTokenValiditySeconds: number;
  /**
   * Decides, per call (by its `X-Amz-Target`), whether to answer with a throttling error instead:
   * `before` refuses the call, `after` carries it out and then answers with the error (the answer
   * was lost, as a retry after a timeout sees it).
   */
  fault?: (target: string) => 'before' | 'after' | undefined;
  /** Every Secrets Manager and Cognito call received, by target, in order. */
  calls: string[];
}

export interface StandInOptions {
  /** @default ['stand-in/read'] */
  readonly scopes?: readonly string[];
  /**
   * The secret's name: `GetSecretValue` and `DescribeSecret` then answer only to it or to its
   * ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`).
   * @default - any SecretId
   */
  readonly secretName?: string;
}

/** The user pool the stand-in issues tokens for (the `iss` claim ends with it). */
export const STAND_IN_POOL_ID = 'eu-west-1_StandIn01';

export async function startSecretsCognitoStandIn(
  clientId: string,
  initialSecret: string,
  initialJson: Record<string, unknown>,
  options: StandInOptions = {},
) {
  const state: StandInState = {
    versions: new Map(),
    clientSecrets: [{ id: `${clientId}--1000`, value: initialSecret, created: 1000 }],
    tokenEndpointDown: false,
    clientScopes: [...(options.scopes ?? ['stand-in/read'])],
    accessTokenValiditySeconds: 3600,
    calls: [],
  };
  const keys = signingKeys();
  const kid = randomUUID();
  const knownSecret = (secretId: unknown) =>
    options.secretName === undefined ||
    secretId === options.secretName ||
    (typeof secretId === 'string' &&
      new RegExp(
        `^arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:${options.secretName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[A-Za-z0-9]{6}$`,
      ).test(secretId));
  let clock = 2000;
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const reply = (status: number, payload: unknown, type = 'application/x-amz-json-1.1') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(payload));
    };
    const error = (type: string, message: string) => reply(400, { __type: type, message });
    if (req.url === '/oauth2/token') {
      const oauthError = (error: string) => reply(400, { error }, 'application/json');
      if (req.method !== 'POST') return oauthError('invalid_request');
      const [id, secret] = Buffer.from(
        String(req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      )
        .toString()
        .split(':')
        .map((part) => decodeURIComponent(part ?? ''));
      const ok =
        !state.tokenEndpointDown &&
        id === clientId &&
        state.clientSecrets.some((s) => s.value === secret);
      if (!ok) return oauthError('invalid_client');
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
        return oauthError('invalid_request');
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials')
        return oauthError('unsupported_grant_type');
      const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const granted = asked.length
        ? asked.filter((scope) => state.clientScopes.includes(scope))
        : state.clientScopes;
      if (granted.length === 0) return oauthError('invalid_scope');
      const now = Math.floor(Date.now() / 1000);
      const token = jwt(keys.privateKey, kid, {
        sub: clientId,
        token_use: 'access',
        scope: granted.join(' '),
        auth_time: now,
        iss: `${endpoint}/${STAND_IN_POOL_ID}`,
        exp: now + state.accessTokenValiditySeconds,
        iat: now,
        version: 2,
        jti: randomUUID(),
        client_id: clientId,
      });
      return reply(
        200,
        {
          access_token: token,
          expires_in: state.accessTokenValiditySeconds,
          token_type: 'Bearer',
        },
        'application/json',
      );
    }
    const input = JSON.parse(body || '{}');
    const target = String(req.headers['x-amz-target']);
    state.calls.push(target);
    const fault = state.fault?.(target);
    const throttled = () => reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    if (fault === 'before') return throttled();
    const answer = (status: number, payload: unknown) =>
      fault === 'after' ? throttled() : reply(status, payload);
    if (
      ['secretsmanager.DescribeSecret', 'secretsmanager.GetSecretValue'].includes(target) &&
      !knownSecret(input.SecretId)
    ) {
      return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    switch (target) {
      case 'secretsmanager.DescribeSecret':
        return answer(200, {
          ARN: input.SecretId,
          RotationEnabled: true,
          VersionIdsToStages: Object.fromEntries(
            [...state.versions].map(([v, x]) => [v, x.stages]),
          ),
        });
      case 'secretsmanager.GetSecretValue': {
        const entry = [...state.versions].find(
          ([v, x]) =>
            x.value !== undefined &&
            (!input.VersionId || v === input.VersionId) &&
            x.stages.includes(input.VersionStage ?? 'AWSCURRENT'),
        );
        if (!entry) return error('ResourceNotFoundException', 'no such version');
        return answer(200, {
          ARN: input.SecretId,
          VersionId: entry[0],
          SecretString: entry[1].value,
          VersionStages: entry[1].stages,
        });
      }
      case 'secretsmanager.PutSecretValue':
        state.versions.set(input.ClientRequestToken, {
          value: input.SecretString,
          stages: input.VersionStages,
        });
        return answer(200, { ARN: input.SecretId, VersionId: input.ClientRequestToken });
      case 'secretsmanager.UpdateSecretVersionStage':
        for (const [v, x] of state.versions) {
          if (v === input.RemoveFromVersionId)
            x.stages = x.stages.filter((s) => s !== input.VersionStage).concat('AWSPREVIOUS');
          if (v === input.MoveToVersionId) x.stages = [input.VersionStage];
        }
        return answer(200, { ARN: input.SecretId });
      case 'AWSCognitoIdentityProviderService.ListUserPoolClientSecrets':
        return answer(200, {
          ClientSecrets: state.clientSecrets.map((s) => ({
            ClientSecretId: s.id,
            ClientSecretCreateDate: s.created,
          })),
        });
      case 'AWSCognitoIdentityProviderService.AddUserPoolClientSecret': {
        if (state.clientSecrets.length >= 2)
          return error('LimitExceededException', 'a client holds at most two secrets');
        clock += 1000;
        const created = {
          id: `${clientId}--${clock}`,
          value: `secret-${randomUUID()}`,
          created: clock,
        };
        state.clientSecrets.push(created);
        return answer(200, {
          ClientSecretDescriptor: {
            ClientSecretId: created.id,
            ClientSecretValue: created.value,
            ClientSecretCreateDate: created.created,
          },
        });
      }
      case 'AWSCognitoIdentityProviderService.DeleteUserPoolClientSecret':
        state.clientSecrets = state.clientSecrets.filter((s) => s.id !== input.ClientSecretId);
        return answer(200, {});
      default:
        return error('UnknownOperationException', String(req.headers['x-amz-target']));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  state.versions.set('v0', {
    value: JSON.stringify({ ...initialJson, tokenUrl: `${endpoint}/oauth2/token` }),
    stages: ['AWSCURRENT'],
  });
  const publicKey = keys.publicKey;
  return {
    endpoint,
    tokenUrl: `${endpoint}/oauth2/token`,
    state,
    /**
     * The claims of an access token this stand-in issued and that has not expired, else
     * undefined: the checks API Gateway's Cognito authorizer makes (signature by the pool's key,
     * issuer, expiry, `token_use`).
     */
    verifyAccessToken: (token: string) =>
      verifyJwt(token, publicKey, kid, `${endpoint}/${STAND_IN_POOL_ID}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let keyPair: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/**
 * The RSA key pair stand-ins sign tokens with, made once per test process: a 2,048-bit key takes
 * about 140 ms to make, and the rotation tests start a stand-in per injected fault. Each stand-in
 * still has its own key id (`kid`) and issuer, which `verifyAccessToken` checks, so a token of
 * one stand-in is refused by another as a token of another user pool is.
 */
function signingKeys() {
  keyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keyPair;
}

function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${encode({ kid, alg: 'RS256' })}.${encode(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

function verifyJwt(
  token: string,
  key: KeyObject,
  kid: string,
  issuer: string,
): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString());
    if (h.kid !== kid || h.alg !== 'RS256') return undefined;
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      key,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    if (claims.iss !== issuer || claims.token_use !== 'access') return undefined;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}
