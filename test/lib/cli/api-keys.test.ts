import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditApiKeys } from '../../../lib/cli/audit';
import { KeyIndex } from '../../../lib/cli/api-keys';
import { parseManifest } from '../../../lib/cli/manifest';
import type { AppClient } from '../../../lib/cli/pool';
import type { GatewayAnswer } from './support/api-gateway';
import {
  useTestCredentials,
  brokerClientSettings,
  cli,
  referenceManifest,
  startBroker,
  type TestBroker,
} from './support/broker';

useTestCredentials();

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(() => broker.close());
// Every test starts from a fresh account with the broker (and another one) freshly deployed.
beforeEach(() => broker.redeploy());
afterEach(() => {
  broker.gateway.faults = undefined;
  broker.gateway.pageSize = 500;
  broker.gateway.comeBack();
});

const onboard = (name: string, ...extra: string[]) =>
  cli([...broker.args(), ...extra, 'consumers', 'onboard', name, '--scopes', 'orders/read']);

function gatewayError(status: number, errorType: string, message: string): GatewayAnswer {
  return { status, errorType, body: { message } };
}

/** The one-line error contract: exactly one line, prefixed, and exit code 2. */
function expectOneLineError(run: { code: number; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr).toMatch(/^office-zones: error: .+\n$/);
  expect(run.stderr).toMatch(pattern);
}

const calls = (operation: string) => broker.gateway.calls.filter((c) => c.operation === operation);

describe('consumers onboard delivers an API key', () => {
  test('an enabled key named as the client, 40 letters and digits, in the usage plan for onboarded partners', async () => {
    const run = await onboard('acme');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const keys = broker.keysNamed('onboarded.acme');
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key.enabled).toBe(true);
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(broker.gateway.plans.get(broker.usagePlanId)!.keys).toContain(key.id);
    // Only that plan: a key may be in one plan per API stage.
    expect(broker.gateway.plans.get(broker.partnerPlanId)!.keys).not.toContain(key.id);
    expect(run.stdout).toContain(
      `onboarded acme as app client onboarded.acme, with API key ${key.id} in usage plan ${broker.usagePlanId}\n`,
    );
    // Printed once, with the header it goes in.
    expect(run.stdout.split(key.value)).toHaveLength(2);
    expect(run.stdout).toContain('every call sends the API key in the x-api-key header');
    // Two onboardings never share a value.
    await onboard('globex');
    expect(broker.keysNamed('onboarded.globex')[0].value).not.toBe(key.value);
  });

  test('writes the API key into --out with the client credentials, mode 0600, and prints neither', async () => {
    const run = await cli(
      [
        ...broker.args(),
        'consumers',
        'onboard',
        'initech',
        '--scopes',
        'orders/read',
        '--out',
        'initech.json',
      ],
      { cwd: broker.dir },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [key] = broker.keysNamed('onboarded.initech');
    const file = path.join(broker.dir, 'initech.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      clientName: 'onboarded.initech',
      apiKey: key.value,
      apiKeyId: key.id,
      apiKeyHeader: 'x-api-key',
    });
    expect(run.stdout).not.toContain(key.value);
    fs.rmSync(file);
  }, 30_000);

  test('list and audit never show an API key value, although API Gateway returns some', async () => {
    await onboard('acme');
    const list = await cli([...broker.args(), 'consumers', 'list', '--json']);
    const audit = await cli([...broker.args(), 'audit', '--json']);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ apiId: broker.apiId, apiKeys: 4 });
    const values = [...broker.gateway.keys.values()].map((k) => k.value);
    expect(values.length).toBeGreaterThanOrEqual(4);
    for (const value of values) {
      expect(list.stdout).not.toContain(value);
      expect(audit.stdout).not.toContain(value);
    }
  });

  test("leaves another broker's key of the same name alone, onboarding and revoking", async () => {
    const [theirs] = [...broker.gateway.keys.values()].filter((k) => k.name === 'onboarded.hooli');
    expect((await onboard('hooli')).code).toBe(0);
    const [ours] = broker.keysNamed('onboarded.hooli');
    expect(ours.id).not.toBe(theirs.id);
    expect((await cli([...broker.args(), 'consumers', 'revoke', 'hooli'])).code).toBe(0);
    expect(broker.gateway.keys.has(ours.id)).toBe(false);
    expect(broker.gateway.keys.get(theirs.id)).toBe(theirs);
  });

  test('fails when the usage plan does not serve the API, before creating anything', async () => {
    const otherPlan = [...broker.gateway.plans.values()].find((p) =>
      p.apiStages.some((s) => s.apiId === broker.otherApiId),
    )!.id;
    const args = broker.args();
    args[args.indexOf('--usage-plan-id') + 1] = otherPlan;
    const run = await cli([...args, 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    expectOneLineError(
      run,
      new RegExp(
        `usage plan ${otherPlan} \\(from --usage-plan-id\\) is not a usage plan of the REST API ${broker.apiId} \\(from --api-id\\): check --usage-plan-id and --api-id \\(nothing was changed\\)`,
      ),
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(calls('CreateApiKey')).toHaveLength(0);
  });

  test('fails when an API key of that name is left without its client; revoke removes it, then onboarding works', async () => {
    const orphan = broker.addApiKey('onboarded.acme');
    const refused = await onboard('acme');
    expectOneLineError(
      refused,
      new RegExp(
        `an API key named onboarded\\.acme exists without its app client \\(${orphan.id}\\): delete it with office-zones consumers revoke acme, then onboard again \\(nothing was changed\\)`,
      ),
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');

    const revoke = await cli([...broker.args(), 'consumers', 'revoke', 'acme']);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toBe(
      `no app client named onboarded.acme; deleted its orphan API key ${orphan.id}\n`,
    );
    expect((await onboard('acme')).code).toBe(0);
  });
});

describe('faults while onboarding: nothing is left half made', () => {
  test('fails when API Gateway refuses the key, and deletes the client', async () => {
    broker.gateway.faults = (call) =>
      call.operation === 'CreateApiKey'
        ? gatewayError(403, 'AccessDeniedException', 'User: ops is not authorized')
        : undefined;
    const run = await onboard('acme');
    expectOneLineError(
      run,
      /^office-zones: error: onboarding acme failed: not allowed to call apigateway:CreateApiKey \(AccessDeniedException\): User: ops is not authorized; deleted the app client it had created \(\S+\)\n$/,
    );
    expect(run.stdout).toBe('');
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);
  });

  test('fails when the key cannot join the usage plan, and deletes the key and the client', async () => {
    broker.gateway.faults = (call) =>
      call.operation === 'CreateUsagePlanKey'
        ? gatewayError(404, 'NotFoundException', 'Invalid Usage Plan ID specified')
        : undefined;
    const run = await onboard('acme');
    expectOneLineError(
      run,
      /onboarding acme failed: apigateway:CreateUsagePlanKey failed \(NotFoundException: Invalid Usage Plan ID specified\); deleted the app client it had created \(\S+\) and its API key \(\S+\)\n$/,
    );
    expect(calls('CreateApiKey')).toHaveLength(1);
    expect(calls('DeleteApiKey')).toHaveLength(1);
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);
  });

  test('fails when the answer to CreateApiKey is lost, and deletes the key API Gateway made', async () => {
    broker.gateway.faults = (call, tools) => {
      if (call.operation !== 'CreateApiKey') return undefined;
      tools.handle(); // API Gateway carries it out...
      tools.drop(); // ...and the answer never arrives
      return 'dropped';
    };
    const run = await onboard('acme');
    expectOneLineError(
      run,
      /onboarding acme failed: lost the connection to the apigateway endpoint at \S+ during CreateApiKey \(ECONNRESET\); deleted the app client it had created \(\S+\) and its API key \(\S+\)\n$/,
    );
    // Not retried: a second create would have made a second key.
    expect(calls('CreateApiKey')).toHaveLength(1);
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);
  });

  /** API Gateway stops answering when this operation arrives (Cognito still answers). */
  const goesAwayAt = (operation: string) => {
    broker.gateway.faults = (call, tools) => {
      if (call.operation !== operation) return undefined;
      broker.gateway.goAway();
      tools.drop();
      return 'dropped';
    };
  };
  const maxTwoAttempts = (...command: string[]) =>
    cli([...broker.args(), '--max-attempts', '2', ...command]);

  test('fails when API Gateway goes away before making the key: the client is deleted, no key is made', async () => {
    goesAwayAt('CreateApiKey');
    const run = await maxTwoAttempts('consumers', 'onboard', 'acme', '--scopes', 'orders/read');
    // The CLI cannot tell whether the key was made, and says so.
    expectOneLineError(
      run,
      /onboarding acme failed: lost the connection to the apigateway endpoint at \S+ during CreateApiKey \(ECONNRESET\); deleted the app client it had created \(\S+\); an API key named onboarded\.acme may exist: run office-zones consumers revoke acme once the endpoint answers\n$/,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);

    broker.gateway.comeBack();
    const revoke = await cli([...broker.args(), 'consumers', 'revoke', 'acme']);
    expectOneLineError(
      revoke,
      /no app client or API key named onboarded\.acme .*nothing to revoke/,
    );
  });

  test('fails when API Gateway goes away after making the key: the client is deleted, the advised revoke deletes the key', async () => {
    goesAwayAt('CreateUsagePlanKey');
    const run = await maxTwoAttempts('consumers', 'onboard', 'acme', '--scopes', 'orders/read');
    expectOneLineError(
      run,
      /onboarding acme failed: lost the connection to the apigateway endpoint at \S+ during CreateUsagePlanKey \(ECONNRESET\); deleted the app client it had created \(\S+\); an API key named onboarded\.acme may exist: run office-zones consumers revoke acme once the endpoint answers\n$/,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    const [left] = broker.keysNamed('onboarded.acme');

    broker.gateway.comeBack();
    const revoke = await cli([...broker.args(), 'consumers', 'revoke', 'acme']);
    expect(revoke.stdout).toBe(
      `no app client named onboarded.acme; deleted its orphan API key ${left.id}\n`,
    );
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);
    expect((await cli([...broker.args(), 'audit'])).code).toBe(0);
  });

  test('retries a throttled CreateApiKey, which API Gateway did not carry out, and makes one key', async () => {
    let throttled = 0;
    broker.gateway.faults = (call) =>
      call.operation === 'CreateApiKey' && throttled++ < 2
        ? gatewayError(429, 'TooManyRequestsException', 'Too Many Requests')
        : undefined;
    const run = await onboard('acme');
    expect(run.code).toBe(0);
    expect(calls('CreateApiKey')).toHaveLength(3);
    expect(broker.keysNamed('onboarded.acme')).toHaveLength(1);
  });
});

describe('consumers revoke and API keys', () => {
  test('says so when the consumer had no API key, and still revokes its client', async () => {
    const id = await broker.addClient(brokerClientSettings('onboarded.keyless', ['orders/read']));
    const run = await cli([...broker.args(), 'consumers', 'revoke', 'keyless']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `revoked onboarded.keyless: deleted app client ${id}; it had no API key (none named onboarded.keyless for the REST API ${broker.apiId}); it can get no new tokens, and tokens already issued expire within its access-token validity\n`,
    );
  });

  test('keeps the key while another app client of the name remains (--client-id)', async () => {
    await onboard('acme');
    const [key] = broker.keysNamed('onboarded.acme');
    const successor = await broker.addClient(
      brokerClientSettings('onboarded.acme', ['orders/read']),
    );
    const old = (await broker.clients()).find(
      (c) => c.ClientName === 'onboarded.acme' && c.ClientId !== successor,
    )!.ClientId;
    const run = await cli([...broker.args(), 'consumers', 'revoke', 'acme', '--client-id', old]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`its API key stays for the remaining app client ${successor}`);
    expect(broker.gateway.keys.has(key.id)).toBe(true);
  });

  test('fails when the key cannot be deleted after the client, and a second revoke finishes', async () => {
    await onboard('acme');
    broker.gateway.faults = (call) =>
      call.operation === 'DeleteApiKey'
        ? gatewayError(403, 'AccessDeniedException', 'not authorized to DELETE /apikeys')
        : undefined;
    const run = await cli([...broker.args(), 'consumers', 'revoke', 'acme']);
    expectOneLineError(
      run,
      /^office-zones: error: revoked onboarded\.acme: deleted app client \S+, but deleting its API key failed: not allowed to call apigateway:DeleteApiKey \(AccessDeniedException\): not authorized to DELETE \/apikeys; run office-zones consumers revoke acme again to delete the key\n$/,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
    // The key, now without its client, is drift until the second revoke.
    const audit = await cli([...broker.args(), 'audit', '--json']);
    expect(JSON.parse(audit.stdout).findings).toEqual([
      expect.objectContaining({ kind: 'orphan-api-key', clientName: 'onboarded.acme' }),
    ]);
    broker.gateway.faults = undefined;
    expect((await cli([...broker.args(), 'consumers', 'revoke', 'acme'])).code).toBe(0);
    expect(broker.keysNamed('onboarded.acme')).toEqual([]);
  });
});

describe('audit of API keys', () => {
  test('fails when an onboarded or declared client has no usable key: missing, disabled or in no plan', async () => {
    await onboard('acme');
    await onboard('globex');
    await onboard('initech');
    broker.gateway.deleteApiKey(broker.keysNamed('onboarded.acme')[0].id);
    broker.keysNamed('onboarded.globex')[0].enabled = false;
    const initech = broker.keysNamed('onboarded.initech')[0];
    broker.gateway.plans.get(broker.usagePlanId)!.keys.delete(initech.id);
    broker.keysNamed('partner.marketplace')[0].enabled = false;

    const { code, stdout } = await cli([...broker.args(), 'audit', '--json']);
    expect(code).toBe(1);
    const findings = JSON.parse(stdout).findings.map((f: any) => [f.kind, f.clientName, f.detail]);
    expect(findings).toEqual([
      [
        'missing-api-key',
        'onboarded.acme',
        `no API key named onboarded.acme in a usage plan of the REST API ${broker.apiId}: API Gateway refuses its calls (403)`,
      ],
      [
        'disabled-api-key',
        'onboarded.globex',
        expect.stringMatching(/^its API key \S+ is disabled: API Gateway refuses its calls/),
      ],
      [
        'missing-api-key',
        'onboarded.initech',
        `its API key ${initech.id} is in no usage plan of the REST API ${broker.apiId}: API Gateway refuses its calls (403)`,
      ],
      ['disabled-api-key', 'partner.marketplace', expect.any(String)],
    ]);
  });

  test('fails on an orphan key named like a client; keys of other brokers or other names are not drift', async () => {
    const orphan = broker.addApiKey('onboarded.gone');
    const leftover = broker.addApiKey('product.retired', { plan: null });
    broker.addApiKey('monitoring-probe');
    const { code, stdout } = await cli([...broker.args(), 'audit']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `orphan-api-key  onboarded.gone   -          API key ${orphan.id} (in a usage plan of the REST API ${broker.apiId}) has no app client of that name: delete it with office-zones consumers revoke onboarded.gone\n`,
    );
    expect(stdout).toContain(
      `orphan-api-key  product.retired  -          API key ${leftover.id} (in no usage plan) has no app client of that name: delete it with office-zones consumers revoke product.retired\n`,
    );
    // onboarded.hooli of the other broker and the probe's key are not named here.
    expect(stdout).not.toMatch(/hooli|monitoring-probe/);
    expect(stdout).toMatch(/drift: 2 findings\n$/);

    // The advised command works for both.
    for (const name of ['onboarded.gone', 'product.retired']) {
      expect((await cli([...broker.args(), 'consumers', 'revoke', name])).code).toBe(0);
    }
    expect((await cli([...broker.args(), 'audit'])).code).toBe(0);
  });

  test('reads every page of every API Gateway list', async () => {
    for (const name of ['a1', 'b2', 'c3']) await onboard(name);
    broker.gateway.pageSize = 2;
    broker.gateway.calls.length = 0;
    const { code, stdout } = await cli([...broker.args(), 'consumers', 'list', '--json']);
    expect(code).toBe(0);
    const statuses = JSON.parse(stdout).clients.map((c: any) => [c.clientName, c.apiKey.status]);
    expect(statuses).toEqual([
      ['onboarded.a1', 'active'],
      ['onboarded.b2', 'active'],
      ['onboarded.c3', 'active'],
      ['partner.marketplace', 'active'],
      ['product.loyalty', 'active'],
      ['product.web-shop', 'active'],
    ]);
    // 10 keys (6 of this broker, 4 of the other), 4 plans (2 per broker): pages of 2.
    const positions = (op: string) => calls(op).map((c) => c.query.get('position') !== null);
    expect(positions('GetApiKeys')).toEqual([false, true, true, true, true]);
    expect(positions('GetUsagePlans')).toEqual([false, true]);
    expect(calls('GetApiKeys').every((c) => c.query.get('limit') === '500')).toBe(true);
    // The onboarded partners' plan has 5 keys: three pages.
    const ofPlan = calls('GetUsagePlanKeys').filter((c) => c.path.includes(broker.usagePlanId));
    expect(ofPlan.map((c) => c.query.get('position') !== null)).toEqual([false, true, true]);
  });

  test('fails when no usage plan serves the REST API: a wrong --api-id', async () => {
    const args = broker.args();
    args[args.indexOf('--api-id') + 1] = 'nope123456';
    const run = await cli([...args, 'audit']);
    expectOneLineError(
      run,
      /no usage plan serves the REST API nope123456 \(from --api-id\) in this account and region: check --api-id, --region and --profile/,
    );
  });
});

describe('auditApiKeys', () => {
  const manifest = parseManifest(referenceManifest(), 'the reference manifest');
  const client = (clientName: string, origin: AppClient['origin']): AppClient => ({
    clientId: `id-${clientName}`,
    clientName,
    origin,
    oauthFlows: ['client_credentials'],
    authFlows: [],
    scopes: [],
  });
  const key = (name: string, placement: 'api' | 'unattached' | 'other-api', enabled = true) => ({
    id: `key-${name}-${placement}`,
    name,
    enabled,
    placement,
    plans: placement === 'api' ? ['plan'] : [],
  });

  test('matches keys to clients by name; unknown clients need none; an enabled key in a plan wins', () => {
    const index = new KeyIndex(
      'api',
      [{ id: 'plan', name: 'p' }],
      [
        key('onboarded.acme', 'api'),
        key('onboarded.acme', 'unattached'),
        key('onboarded.acme', 'api', false),
      ],
    );
    const clients = [client('onboarded.acme', 'onboarded'), client('legacy', 'unknown')];
    expect(auditApiKeys(manifest, clients, index)).toEqual([]);
  });

  test("fails when a client's only key of that name is another broker's", () => {
    const index = new KeyIndex(
      'api',
      [{ id: 'plan', name: 'p' }],
      [key('onboarded.acme', 'other-api')],
    );
    expect(
      auditApiKeys(manifest, [client('onboarded.acme', 'onboarded')], index).map((f) => f.kind),
    ).toEqual(['missing-api-key']);
  });
});
