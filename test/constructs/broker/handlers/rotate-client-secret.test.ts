import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  Credentials,
  requestToken,
  rotate,
  RotationDeps,
} from '../../../../constructs/broker/handlers/rotate-client-secret';
import { TEST_CREDENTIALS } from '../../../support/dynalite';
import { startSecretsCognitoStandIn } from '../../../support/secrets-cognito-stand-in';

const CLIENT_ID = 'client-web-shop';
const INITIAL = {
  clientId: CLIENT_ID,
  clientSecret: 'secret-initial',
  apiKey: 'k'.repeat(40),
  apiUrl: 'https://api.example/v1/',
};
type Step = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

describe('client-secret rotation', () => {
  let standIn: Awaited<ReturnType<typeof startSecretsCognitoStandIn>>;
  let deps: RotationDeps;

  beforeEach(async () => {
    standIn = await startSecretsCognitoStandIn(CLIENT_ID, 'secret-initial', INITIAL);
    const config = {
      endpoint: standIn.endpoint,
      region: 'eu-west-2',
      credentials: TEST_CREDENTIALS,
    };
    deps = {
      secrets: new SecretsManagerClient(config),
      cognito: new CognitoIdentityProviderClient(config),
      userPoolId: 'eu-west-2_pool',
      testToken: (c) => requestToken(c, 2000),
    };
  });
  afterEach(async () => {
    deps.secrets.destroy();
    deps.cognito.destroy();
    await standIn.close();
  });

  /** Secrets Manager labels a new version AWSPENDING, then calls the function once per step. */
  const begin = (token: string) => standIn.state.versions.set(token, { stages: ['AWSPENDING'] });
  const step = (token: string, Step: Step) =>
    rotate({ SecretId: 'creds', ClientRequestToken: token, Step }, deps);
  async function rotateOnce(token: string) {
    begin(token);
    for (const s of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
      await step(token, s);
  }
  const current = (): Credentials =>
    JSON.parse(
      [...standIn.state.versions.values()].find((v) => v.stages.includes('AWSCURRENT'))!.value!,
    );
  const canGetToken = (c: Credentials) =>
    requestToken(c, 2000).then(
      () => true,
      () => false,
    );

  test('puts a new Cognito secret in the secret; the previous one keeps working until the next rotation', async () => {
    const before = current();
    await rotateOnce('r1');
    const after = current();
    expect(after.clientSecret).not.toBe(before.clientSecret);
    expect(after.clientSecretId).toMatch(/^client-web-shop--/);
    // Only the client secret changes: the API key and the URLs stay.
    expect({ ...after, clientSecret: '', clientSecretId: '' }).toEqual({
      ...before,
      clientSecret: '',
      clientSecretId: '',
    });
    expect(await canGetToken(after)).toBe(true);
    expect(await canGetToken(before)).toBe(true); // a consumer with the old secret cached is not cut off

    await rotateOnce('r2');
    expect(await canGetToken(current())).toBe(true);
    expect(await canGetToken(after)).toBe(true);
    expect(await canGetToken(before)).toBe(false); // retired by the second rotation
    expect(standIn.state.clientSecrets).toHaveLength(2);
  });

  test('a retried createSecret adds no second secret and keeps the pending value', async () => {
    begin('r1');
    await step('r1', 'createSecret');
    const pending = standIn.state.versions.get('r1')!.value;
    await step('r1', 'createSecret');
    expect(standIn.state.versions.get('r1')!.value).toBe(pending);
    expect(standIn.state.clientSecrets).toHaveLength(2);
  });

  test('fails at testSecret when the token endpoint refuses the new secret, and the current one stays current', async () => {
    const before = current();
    begin('r1');
    await step('r1', 'createSecret');
    standIn.state.tokenEndpointDown = true;
    await expect(step('r1', 'testSecret')).rejects.toThrow(
      'the token endpoint refused the new secret: HTTP 400 invalid_client',
    );
    expect(current()).toEqual(before);
  });

  test('fails when the client no longer holds the secret the current version records, and retires nothing', async () => {
    await rotateOnce('r1');
    const recorded = current().clientSecretId;
    standIn.state.clientSecrets = standIn.state.clientSecrets.filter((s) => s.id !== recorded);
    const left = [...standIn.state.clientSecrets];
    begin('r2');
    await expect(step('r2', 'createSecret')).rejects.toThrow(
      `client client-web-shop no longer holds its current secret ${recorded}; refusing to retire any secret`,
    );
    expect(standIn.state.clientSecrets).toEqual(left);
  });

  test('fails when asked to rotate a version that is not pending', async () => {
    await expect(step('no-such-version', 'createSecret')).rejects.toThrow(
      'secret version no-such-version has no stage for rotation of creds',
    );
  });
});

/**
 * Secrets Manager retries a failed step (and a failed rotation) with the same token. Every call a
 * rotation makes is failed once, in turn, with a throttling error, either before the service acts
 * or after it acted (the answer lost); the failed step is then retried. Through it all the consumer
 * must never be cut off, and the rotation must end as a clean one does.
 */
describe('client-secret rotation under retry', () => {
  const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

  async function harness() {
    const standIn = await startSecretsCognitoStandIn(CLIENT_ID, 'secret-initial', INITIAL);
    const config = {
      endpoint: standIn.endpoint,
      region: 'eu-west-2',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1, // every throttle reaches the step, as when the SDK's own retries run out
    };
    const deps: RotationDeps = {
      secrets: new SecretsManagerClient(config),
      cognito: new CognitoIdentityProviderClient(config),
      userPoolId: 'eu-west-2_pool',
      testToken: (c) => requestToken(c, 2000),
    };
    const current = (): Credentials =>
      JSON.parse(
        [...standIn.state.versions.values()].find((v) => v.stages.includes('AWSCURRENT'))!.value!,
      );
    const canGetToken = (c: Credentials) =>
      requestToken(c, 2000).then(
        () => true,
        () => false,
      );
    /** One rotation as Secrets Manager runs it: a failed step is retried until it succeeds. */
    async function rotation(token: string) {
      const before = current();
      standIn.state.versions.set(token, { stages: ['AWSPENDING'] });
      for (const Step of STEPS) {
        for (let attempt = 1; ; attempt++) {
          const ok = await rotate(
            { SecretId: 'creds', ClientRequestToken: token, Step },
            deps,
          ).then(
            () => true,
            (e: unknown) => {
              if (attempt >= 3) throw e;
              return false;
            },
          );
          // What a consumer holds, the current value or the one it cached before, still works.
          const cutOff: string[] = [];
          if (!(await canGetToken(current()))) cutOff.push('the current secret');
          if (!(await canGetToken(before))) cutOff.push('the secret cached before the rotation');
          expect({ Step, attempt, cutOff }).toEqual({ Step, attempt, cutOff: [] });
          if (ok) break;
        }
      }
      return before;
    }
    const close = async () => {
      deps.secrets.destroy();
      deps.cognito.destroy();
      await standIn.close();
    };
    return { standIn, rotation, current, canGetToken, close };
  }

  /** How many Secrets Manager and Cognito calls a clean rotation makes, after `earlier` rotations. */
  async function callsOfCleanRotation(earlier: number): Promise<number> {
    const h = await harness();
    try {
      for (let i = 0; i < earlier; i++) await h.rotation(`earlier-${i}`);
      const start = h.standIn.state.calls.length;
      await h.rotation('r');
      return h.standIn.state.calls.length - start;
    } finally {
      await h.close();
    }
  }

  for (const earlier of [0, 1]) {
    test(`no retried step cuts the consumer off (rotation ${earlier + 1}, every call failed in turn)`, async () => {
      const calls = await callsOfCleanRotation(earlier);
      expect(calls).toBeGreaterThan(10);
      const failures: string[] = [];
      for (let n = 0; n < calls; n++) {
        for (const when of ['before', 'after'] as const) {
          const h = await harness();
          let failedCall = '';
          try {
            for (let i = 0; i < earlier; i++) await h.rotation(`earlier-${i}`);
            const start = h.standIn.state.calls.length;
            h.standIn.state.fault = (target) => {
              if (h.standIn.state.calls.length - start - 1 !== n) return undefined;
              failedCall = target;
              return when;
            };
            const before = await h.rotation('r');
            h.standIn.state.fault = undefined;
            const after = h.current();
            // The rotation completed: a new secret is current, the one before it still works
            // until the next rotation, and the client holds no more than Cognito's two.
            expect(after.clientSecret).not.toBe(before.clientSecret);
            expect(await h.canGetToken(after)).toBe(true);
            expect(await h.canGetToken(before)).toBe(true);
            expect(h.standIn.state.clientSecrets.length).toBeLessThanOrEqual(2);
            expect(failedCall).not.toBe('');
          } catch (e) {
            const message = (e as Error).message.replace(/\s+/g, ' ');
            failures.push(`${failedCall} (call ${n}) throttled ${when} it acted: ${message}`);
          } finally {
            await h.close();
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
