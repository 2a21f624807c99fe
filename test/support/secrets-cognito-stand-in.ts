import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP peer for the calls a client-secret rotation makes: Secrets Manager's version
 * stages, Cognito's client-secret rotation (which cognito-local does not implement) and the OAuth
 * token endpoint, all sharing one state so a test can see what a consumer would see.
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
  /**
   * Decides, per call (by its `X-Amz-Target`), whether to answer with a throttling error instead:
   * `before` refuses the call, `after` carries it out and then answers with the error (the answer
   * was lost, as a retry after a timeout sees it).
   */
  fault?: (target: string) => 'before' | 'after' | undefined;
  /** Every Secrets Manager and Cognito call received, by target, in order. */
  calls: string[];
}

export async function startSecretsCognitoStandIn(
  clientId: string,
  initialSecret: string,
  initialJson: Record<string, unknown>,
) {
  const state: StandInState = {
    versions: new Map(),
    clientSecrets: [{ id: `${clientId}--1000`, value: initialSecret, created: 1000 }],
    tokenEndpointDown: false,
    calls: [],
  };
  let clock = 2000;
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const reply = (status: number, payload: unknown, type = 'application/x-amz-json-1.1') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(payload));
    };
    const error = (type: string, message: string) => reply(400, { __type: type, message });
    if (req.url === '/oauth2/token') {
      const [id, secret] = Buffer.from(
        String(req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      )
        .toString()
        .split(':');
      const ok =
        !state.tokenEndpointDown &&
        id === clientId &&
        state.clientSecrets.some((s) => s.value === secret);
      return ok
        ? reply(
            200,
            { access_token: `token-${randomUUID()}`, expires_in: 3600, token_type: 'Bearer' },
            'application/json',
          )
        : reply(400, { error: 'invalid_client' }, 'application/json');
    }
    const input = JSON.parse(body || '{}');
    const target = String(req.headers['x-amz-target']);
    state.calls.push(target);
    const fault = state.fault?.(target);
    const throttled = () => reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    if (fault === 'before') return throttled();
    const answer = (status: number, payload: unknown) =>
      fault === 'after' ? throttled() : reply(status, payload);
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
  return {
    endpoint,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}
