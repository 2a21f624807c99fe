import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  useTestCredentials,
  brokerClientSettings,
  Capture,
  cli,
  startBroker,
  type TestBroker,
} from './support/broker';

useTestCredentials();

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(() => broker.close());

/** The secret of the one app client with this name, read from the emulator. */
async function secretOf(clientName: string): Promise<string> {
  const client = (await broker.clients()).find((c) => c.ClientName === clientName);
  return client!.ClientSecret as string;
}

describe('the issue scenario (Done when)', () => {
  test('onboard a partner, list it, audit clean; a client behind the back is drift; revoke; gone', async () => {
    const onboard = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
      'catalog/read',
    ]);
    expect(onboard.stderr).toBe('');
    expect(onboard.code).toBe(0);
    expect(onboard.stdout).toContain('onboarded acme as app client onboarded.acme');
    // Its API key, in the usage plan onboarded partners join: without it API Gateway says 403.
    const [key] = broker.keysNamed('onboarded.acme');
    expect(broker.gateway.plans.get(broker.usagePlanId)!.keys.has(key.id)).toBe(true);
    expect(onboard.stdout).toContain(`api_key:       ${key.value}\n`);

    const list = await cli([...broker.args(), 'consumers', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).clients).toContainEqual(
      expect.objectContaining({
        clientName: 'onboarded.acme',
        origin: 'onboarded',
        oauthFlows: ['client_credentials'],
        scopes: ['orders/read', 'catalog/read'],
        apiKey: { status: 'active', ids: [key.id] },
      }),
    );

    const clean = await cli([...broker.args(), 'audit']);
    expect(clean.stdout).toContain('no drift');
    expect(clean.code).toBe(0);

    const sneaky = await broker.addClient(brokerClientSettings('console-added', ['orders/write']));
    const drift = await cli([...broker.args(), 'audit']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(new RegExp(`unknown-client +console-added +${sneaky}`));

    const revoke = await cli([...broker.args(), 'consumers', 'revoke', 'acme']);
    expect(revoke.stderr).toBe('');
    expect(revoke.code).toBe(0);
    const after = await cli([...broker.args(), 'consumers', 'list', '--json']);
    expect(JSON.parse(after.stdout).clients.map((c: any) => c.clientName)).not.toContain(
      'onboarded.acme',
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(broker.gateway.keys.has(key.id)).toBe(false);
    expect(revoke.stdout).toContain(`, and API key ${key.id};`);

    // Leave the pool as the broker deployed it for the other tests.
    expect((await cli([...broker.args(), 'consumers', 'revoke', 'console-added'])).code).toBe(0);
  });
});

describe('consumers list', () => {
  test('shows every app client with flows and scopes, marked declared, onboarded or unknown', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'listed', '--scopes', 'orders/read']);
    const stranger = await broker.addClient({
      ClientName: 'legacy-app',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://example.com/cb'],
    });
    const { code, stdout, stderr } = await cli([...broker.args(), 'consumers', 'list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^CLIENT NAME +ORIGIN +API KEY +CLIENT ID +FLOWS +SCOPES$/);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^legacy-app +unknown +missing +${stranger} +code +openid$`),
        ),
        expect.stringMatching(
          /^onboarded\.listed +onboarded +active +\S+ +client_credentials ALLOW_REFRESH_TOKEN_AUTH +orders\/read$/,
        ),
        expect.stringMatching(
          /^partner\.marketplace +declared +active +\S+ +client_credentials ALLOW_REFRESH_TOKEN_AUTH +catalog\/read$/,
        ),
        expect.stringMatching(/^product\.web-shop +declared +active /),
        expect.stringMatching(/^product\.loyalty +declared +active /),
      ]),
    );
    // Never a secret, not even of the declared clients.
    const secrets = (await broker.clients()).map((c) => c.ClientSecret).filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(stdout).not.toContain(secret);
    await cli([...broker.args(), 'consumers', 'revoke', 'listed']);
    await cli([...broker.args(), 'consumers', 'revoke', 'legacy-app']);
  });
});

describe('consumers onboard', () => {
  afterEach(async () => {
    for (const name of ['globex', 'initech', 'umbrella']) {
      await cli([...broker.args(), 'consumers', 'revoke', name]);
    }
  });

  test('creates a client-credentials client with a secret and only the given scopes', async () => {
    const { code, stdout } = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'globex',
      '--scopes',
      'orders/write,orders/read',
    ]);
    expect(code).toBe(0);
    const client = (await broker.clients()).find((c) => c.ClientName === 'onboarded.globex')!;
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['orders/write', 'orders/read'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    // The secret is printed once, on stdout, with the client id.
    expect(stdout).toContain(`client_id:     ${client.ClientId}`);
    expect(stdout.split(client.ClientSecret as string)).toHaveLength(2);
  });

  test('writes the credentials to --out with mode 0600 and prints no secret', async () => {
    const { code, stdout, stderr } = await cli(
      [
        ...broker.args(),
        'consumers',
        'onboard',
        'initech',
        '--scopes',
        'catalog/read',
        '--out',
        'initech.json',
      ],
      { cwd: broker.dir },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const file = path.join(broker.dir, 'initech.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(fs.readFileSync(file, 'utf8'));
    const secret = await secretOf('onboarded.initech');
    expect(creds).toMatchObject({
      consumer: 'initech',
      clientName: 'onboarded.initech',
      clientSecret: secret,
      scopes: ['catalog/read'],
      userPoolId: broker.poolId,
    });
    expect(stdout).toContain(`wrote its credentials to ${file} (mode 0600)`);
    expect(stdout).not.toContain(secret);
  });

  test('fails when the name exists, and leaves the existing client alone', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'umbrella', '--scopes', 'orders/read']);
    const before = await secretOf('onboarded.umbrella');
    const again = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'umbrella',
      '--scopes',
      'orders/write',
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^office-zones: error: umbrella is already onboarded \(app client onboarded\.umbrella, \S+\): rotate or revoke it instead\n$/,
    );
    expect((await broker.clientNames()).filter((n) => n === 'onboarded.umbrella')).toHaveLength(1);
    expect(await secretOf('onboarded.umbrella')).toBe(before);
  });

  test('fails when the name is a consumer the blueprint declares', async () => {
    const { code, stderr } = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'marketplace',
      '--scopes',
      'catalog/read',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'marketplace is declared in the blueprint as partner.marketplace; its app client comes from the stack OfficeZones-dev-Consumer-partner-marketplace',
    );
    expect(await broker.clientNames()).not.toContain('onboarded.marketplace');
  });

  test('fails when --out exists, before creating anything', async () => {
    const file = path.join(broker.dir, 'taken.json');
    fs.writeFileSync(file, 'keep me');
    const { code, stderr } = await cli(
      [
        ...broker.args(),
        'consumers',
        'onboard',
        'globex',
        '--scopes',
        'orders/read',
        '--out',
        'taken.json',
      ],
      { cwd: broker.dir },
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      'office-zones: error: --out taken.json exists; refusing to overwrite credentials (nothing was changed)\n',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    expect(await broker.clientNames()).not.toContain('onboarded.globex');
  });

  test('fails when the secret cannot be delivered, and deletes the client it created', async () => {
    const closedPipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const { code, stderr } = await cli(
      [...broker.args(), 'consumers', 'onboard', 'globex', '--scopes', 'orders/read'],
      { stdout: new Capture(closedPipe) },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^office-zones: error: could not deliver the credentials of globex \(EPIPE: write EPIPE\); deleted the app client it had created \(\S+\) and its API key \(\S+\)\n$/,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.globex');
    expect(broker.keysNamed('onboarded.globex')).toEqual([]);
  });
});

describe('consumers revoke', () => {
  test('fails when the consumer is declared in the blueprint, and says it is a blueprint change', async () => {
    for (const name of ['marketplace', 'partner.marketplace']) {
      const { code, stderr } = await cli([...broker.args(), 'consumers', 'revoke', name]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        'office-zones: error: partner.marketplace is declared in the blueprint (partner marketplace): revoking it is a change to the blueprint; destroy the stack OfficeZones-dev-Consumer-partner-marketplace, then remove it from the blueprint and deploy (README, "Removing a product or partner")\n',
      );
    }
    expect(await broker.clientNames()).toContain('partner.marketplace');
  });

  test('fails when no such consumer exists', async () => {
    const { code, stderr } = await cli([...broker.args(), 'consumers', 'revoke', 'nobody']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `office-zones: error: no app client or API key named onboarded.nobody (user pool ${broker.poolId}, REST API ${broker.apiId}): nothing to revoke (see office-zones consumers list)\n`,
    );
  });
});
