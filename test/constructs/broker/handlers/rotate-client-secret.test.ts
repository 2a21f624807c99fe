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

  test('fails when asked to rotate a version that is not pending', async () => {
    await expect(step('no-such-version', 'createSecret')).rejects.toThrow(
      'secret version no-such-version has no stage for rotation of creds',
    );
  });
});
