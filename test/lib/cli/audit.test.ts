import {
  DeleteUserPoolClientCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { auditClients } from '../../../lib/cli/audit';
import { parseManifest } from '../../../lib/cli/manifest';
import type { AppClient } from '../../../lib/cli/pool';
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
// Every test starts from a freshly deployed broker: its declared clients and nothing else.
beforeEach(() => broker.redeploy());

async function clientId(name: string): Promise<string> {
  return (await broker.clients()).find((c) => c.ClientName === name)!.ClientId;
}

async function update(name: string, settings: Record<string, unknown>) {
  await broker.cognito.send(
    new UpdateUserPoolClientCommand({
      UserPoolId: broker.poolId,
      ClientId: await clientId(name),
      ...settings,
    }),
  );
}

async function auditJson() {
  const run = await cli([...broker.args(), 'audit', '--json']);
  return { ...run, report: JSON.parse(run.stdout) };
}

describe('audit against cognito-local', () => {
  test('exits 0 and says so when the pool matches the manifest', async () => {
    const { code, stdout, stderr } = await cli([...broker.args(), 'audit']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      `user pool ${broker.poolId} (OfficeZones-dev-broker): 3 app clients, 3 declared consumers; REST API ${broker.apiId}: 3 API keys in its usage plans\nno drift\n`,
    );
  });

  test('counts onboarded partners as clean while their scopes are offered', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'acme', '--scopes', 'orders/write']);
    const { code, report } = await auditJson();
    expect(code).toBe(0);
    expect(report).toMatchObject({ clean: true, clients: 4, findings: [] });
  });

  test('fails when a client was added behind its back, naming it, its id and its flows', async () => {
    const id = await broker.addClient({
      ClientName: 'console-app',
      AllowedOAuthFlows: ['implicit'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['orders/write'],
      CallbackURLs: ['https://example.com/cb'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    });
    const { code, report } = await auditJson();
    expect(code).toBe(1);
    expect(report.clean).toBe(false);
    expect(report.findings).toEqual([
      {
        kind: 'unknown-client',
        clientName: 'console-app',
        clientId: id,
        detail:
          'neither declared in the blueprint nor onboarded by this CLI (scopes: orders/write)',
      },
      {
        kind: 'non-machine-flows',
        clientName: 'console-app',
        clientId: id,
        detail:
          'flows other than client credentials: implicit ALLOW_USER_PASSWORD_AUTH; the client-credentials flow is not enabled',
      },
    ]);
  });

  test('fails when a declared client holds scopes beyond the declared ones, or lacks some', async () => {
    await update('partner.marketplace', { AllowedOAuthScopes: ['catalog/read', 'orders/write'] });
    await update('product.web-shop', { AllowedOAuthScopes: ['catalog/read'] });
    const { code, report } = await auditJson();
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'excess-scopes',
        clientName: 'partner.marketplace',
        detail: 'scopes beyond the declared ones: orders/write',
      }),
      expect.objectContaining({
        kind: 'missing-scopes',
        clientName: 'product.web-shop',
        detail: 'declared scopes it lacks: orders/write orders/read',
      }),
    ]);
  });

  test('fails when an onboarded client holds a scope the broker does not offer', async () => {
    const id = await broker.addClient(brokerClientSettings('onboarded.rogue', ['orders/delete']));
    broker.addApiKey('onboarded.rogue');
    const { code, report } = await auditJson();
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      {
        kind: 'excess-scopes',
        clientName: 'onboarded.rogue',
        clientId: id,
        detail: 'scopes the broker does not offer: orders/delete',
      },
    ]);
  });

  test('fails when a declared client is missing or duplicated', async () => {
    await broker.cognito.send(
      new DeleteUserPoolClientCommand({
        UserPoolId: broker.poolId,
        ClientId: await clientId('product.loyalty'),
      }),
    );
    const twin = await broker.addClient(brokerClientSettings('product.web-shop', ['catalog/read']));
    const { code, report } = await auditJson();
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      {
        kind: 'duplicate-client',
        clientName: 'product.web-shop',
        clientId: null,
        detail: expect.stringContaining(twin),
      },
      {
        kind: 'missing-client',
        clientName: 'product.loyalty',
        clientId: null,
        detail: 'product loyalty is declared in the blueprint but has no app client',
      },
      expect.objectContaining({ kind: 'missing-scopes', clientName: 'product.web-shop' }),
      // Its API key, which the broker stack made, now identifies nobody.
      expect.objectContaining({
        kind: 'orphan-api-key',
        clientName: 'product.loyalty',
        detail: expect.stringMatching(/: deploy the stack OfficeZones-dev-Consumer-/),
      }),
    ]);
  });

  test('fails when a declared client allows a flow for people', async () => {
    await update('product.loyalty', {
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
    });
    const { code, stdout } = await cli([...broker.args(), 'audit']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /non-machine-flows +product\.loyalty +\S+ +flows other than client credentials: ALLOW_USER_SRP_AUTH\n/,
    );
    expect(stdout).toMatch(/drift: 1 finding\n$/);
  });
});

describe('auditClients', () => {
  const manifest = parseManifest(referenceManifest(), 'the reference manifest');
  const machine = (
    clientName: string,
    scopes: string[],
    origin: AppClient['origin'],
  ): AppClient => ({
    clientId: `id-${clientName}`,
    clientName,
    origin,
    ...(origin === 'declared'
      ? { declared: manifest.consumers.find((c) => c.clientName === clientName) }
      : {}),
    oauthFlows: ['client_credentials'],
    authFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    scopes,
  });
  const declared = manifest.consumers.map((c) => machine(c.clientName, c.scopes, 'declared'));

  test('finds nothing in a pool that matches the manifest, in any order of scopes', () => {
    const shuffled = declared.map((c) => ({ ...c, scopes: [...c.scopes].reverse() }));
    expect(auditClients(manifest, shuffled)).toEqual([]);
  });

  test('fails when a client has no OAuth flow at all', () => {
    const bare = { ...machine('onboarded.bare', ['orders/read'], 'onboarded'), oauthFlows: [] };
    expect(auditClients(manifest, [...declared, bare])).toEqual([
      {
        kind: 'non-machine-flows',
        clientName: 'onboarded.bare',
        clientId: 'id-onboarded.bare',
        detail: 'the client-credentials flow is not enabled',
      },
    ]);
  });

  test('allows two generations of an onboarded client during a rotation', () => {
    const generations = [
      machine('onboarded.acme', ['orders/read'], 'onboarded'),
      { ...machine('onboarded.acme', ['orders/read'], 'onboarded'), clientId: 'id-2' },
    ];
    expect(auditClients(manifest, [...declared, ...generations])).toEqual([]);
  });
});
