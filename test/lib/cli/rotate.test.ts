import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsError, startAwsProxy, type AwsProxy, type ProxyHandler } from './support/aws-proxy';
import { useTestCredentials, Capture, cli, startBroker, type TestBroker } from './support/broker';

useTestCredentials();

let broker: TestBroker;
let proxy: AwsProxy | undefined;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(() => broker.close());
beforeEach(() => broker.redeploy());
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const named = async (name: string) => (await broker.clients()).filter((c) => c.ClientName === name);

describe('rotate where the endpoint has no secret-rotation API (cognito-local): a successor client', () => {
  test('hands out a successor while the old client keeps working, then retires the old one', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const [old] = await named('onboarded.acme');
    // Cognito reports creation times in whole seconds; the successor must be visibly newer.
    await new Promise((r) => setTimeout(r, 1100));

    const rotate = await cli(
      [...broker.args(), 'consumers', 'rotate', 'acme', '--out', 'acme-new.json'],
      { cwd: broker.dir },
    );
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toContain(
      `the previous client ${old.ClientId} stays valid until office-zones consumers rotate acme --retire-previous`,
    );
    const generations = await named('onboarded.acme');
    expect(generations).toHaveLength(2);
    const successor = generations.find((c) => c.ClientId !== old.ClientId)!;
    expect(successor).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders/read'],
    });
    // The old credentials are untouched during the cut-over.
    expect(generations.find((c) => c.ClientId === old.ClientId)!.ClientSecret).toBe(
      old.ClientSecret,
    );
    const file = path.join(broker.dir, 'acme-new.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      clientId: successor.ClientId,
      clientSecret: successor.ClientSecret,
    });

    // Both generations are expected during the cut-over: no drift.
    expect((await cli([...broker.args(), 'audit'])).code).toBe(0);
    const again = await cli([...broker.args(), 'consumers', 'rotate', 'acme']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a rotation of onboarded.acme is under way (2 app clients');

    const retire = await cli([
      ...broker.args(),
      'consumers',
      'rotate',
      'acme',
      '--retire-previous',
    ]);
    expect(retire.code).toBe(0);
    expect(retire.stdout).toBe(
      `retired the previous app client of onboarded.acme (${old.ClientId}); ${successor.ClientId} remains\n`,
    );
    expect((await named('onboarded.acme')).map((c) => c.ClientId)).toEqual([successor.ClientId]);
  });

  test('fails when retiring cannot tell the generations apart, and revoke --client-id settles it', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const [old] = await named('onboarded.acme');
    // A second client of that name, as a console user could make; both created in one second.
    const twin = await broker.addClient({
      ClientName: 'onboarded.acme',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['orders/read'],
    });
    proxy = await startAwsProxy(broker.endpoint, async (call, tools) => {
      if (call.operation !== 'DescribeUserPoolClient') return 'forward';
      const answer = await tools.forward();
      return {
        status: answer.status,
        body: { UserPoolClient: { ...answer.body.UserPoolClient, CreationDate: 1_800_000_000 } },
      };
    });
    const retire = await cli([
      ...broker.args(proxy.endpoint),
      'consumers',
      'rotate',
      'acme',
      '--retire-previous',
    ]);
    expect(retire.code).toBe(2);
    expect(retire.stderr).toContain(
      'were created in the same second): revoke the old one with office-zones consumers revoke <name> --client-id <id>',
    );
    expect(await named('onboarded.acme')).toHaveLength(2);

    const revoke = await cli([
      ...broker.args(),
      'consumers',
      'revoke',
      'acme',
      '--client-id',
      old.ClientId,
    ]);
    expect(revoke.code).toBe(0);
    expect((await named('onboarded.acme')).map((c) => c.ClientId)).toEqual([twin]);
  });

  test('fails when the consumer is declared: its client belongs to its consumer stack', async () => {
    const run = await cli([...broker.args(), 'consumers', 'rotate', 'marketplace']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: this endpoint has no secret-rotation API, and partner.marketplace is declared in the blueprint: its app client belongs to the stack that declares it, so a successor client would live outside it; rotate it by replacing the client in that stack\n',
    );
    expect(await named('partner.marketplace')).toHaveLength(1);
  });

  test('fails when the successor cannot be delivered, and deletes it', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const [old] = await named('onboarded.acme');
    const closedPipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const run = await cli([...broker.args(), 'consumers', 'rotate', 'acme'], {
      stdout: new Capture(closedPipe),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /could not deliver the new credentials of acme \(EPIPE: write EPIPE\); deleted the successor client \S+\n$/,
    );
    expect((await named('onboarded.acme')).map((c) => c.ClientId)).toEqual([old.ClientId]);
  });

  test('says there is nothing to retire when no rotation is under way', async () => {
    await cli([...broker.args(), 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const run = await cli([...broker.args(), 'consumers', 'rotate', 'acme', '--retire-previous']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('nothing to retire: onboarded.acme has one app client\n');
    expect(await named('onboarded.acme')).toHaveLength(1);
  });

  test('fails when the consumer does not exist', async () => {
    const run = await cli([...broker.args(), 'consumers', 'rotate', 'nobody']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no app client named onboarded.nobody');
  });
});

/**
 * Cognito's secret-rotation operations (AddUserPoolClientSecret, ListUserPoolClientSecrets,
 * DeleteUserPoolClientSecret) as the API reference describes them, in front of cognito-local,
 * which lacks them: at most two secrets per client, listed without their values, the first one
 * being the secret the client was created with.
 */
function secretRotationApi() {
  const secrets = new Map<string, { id: string; value: string; created: number }[]>();
  let clock = Date.now();
  const handler: ProxyHandler = async (call, tools) => {
    if (
      !call.operation.endsWith('UserPoolClientSecret') &&
      call.operation !== 'ListUserPoolClientSecrets'
    ) {
      return 'forward';
    }
    const { UserPoolId, ClientId } = call.input;
    const client = await tools.upstream('DescribeUserPoolClient', { UserPoolId, ClientId });
    if (client.status !== 200) return { status: client.status, body: client.body };
    if (!secrets.has(ClientId)) {
      const created = client.body.UserPoolClient.CreationDate * 1000;
      secrets.set(ClientId, [
        { id: `${ClientId}--${created}`, value: client.body.UserPoolClient.ClientSecret, created },
      ]);
    }
    const list = secrets.get(ClientId)!;
    switch (call.operation) {
      case 'ListUserPoolClientSecrets':
        return {
          status: 200,
          body: {
            ClientSecrets: list.map((s) => ({
              ClientSecretId: s.id,
              ClientSecretCreateDate: s.created / 1000,
            })),
          },
        };
      case 'AddUserPoolClientSecret': {
        if (list.length >= 2) {
          return awsError(400, 'LimitExceededException', 'An app client can have 2 secrets');
        }
        clock += 1000;
        const added = {
          id: `${ClientId}--${clock}`,
          value: randomBytes(24).toString('hex'),
          created: clock,
        };
        list.push(added);
        return {
          status: 200,
          body: {
            ClientSecretDescriptor: {
              ClientSecretId: added.id,
              ClientSecretValue: added.value,
              ClientSecretCreateDate: added.created / 1000,
            },
          },
        };
      }
      case 'DeleteUserPoolClientSecret': {
        const index = list.findIndex((s) => s.id === call.input.ClientSecretId);
        if (index < 0) return awsError(400, 'ResourceNotFoundException', 'No such secret');
        if (list.length === 1) {
          return awsError(400, 'InvalidParameterException', 'The last secret cannot be deleted');
        }
        list.splice(index, 1);
        return { status: 200, body: {} };
      }
    }
    return 'forward';
  };
  return { handler, secrets };
}

describe("rotate with Cognito's secret-rotation API", () => {
  test('adds a second secret to the same client, then retires the previous one', async () => {
    const api = secretRotationApi();
    proxy = await startAwsProxy(broker.endpoint, api.handler);
    const args = broker.args(proxy.endpoint);
    await cli([...args, 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const [client] = await named('onboarded.acme');

    const rotate = await cli([...args, 'consumers', 'rotate', 'acme']);
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);
    const [original, added] = api.secrets.get(client.ClientId)!;
    expect(original.value).toBe(client.ClientSecret);
    expect(rotate.stdout).toContain(`client_id:     ${client.ClientId}`);
    expect(rotate.stdout).toContain(`client_secret: ${added.value}`);
    expect(rotate.stdout).not.toContain(original.value);
    // Still one app client: the consumer keeps its client id and swaps the secret.
    expect(await named('onboarded.acme')).toHaveLength(1);

    const again = await cli([...args, 'consumers', 'rotate', 'acme']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a rotation of onboarded.acme is under way (it has 2 secrets)');

    const retire = await cli([...args, 'consumers', 'rotate', 'acme', '--retire-previous']);
    expect(retire.code).toBe(0);
    expect(retire.stdout).toBe(
      `retired the previous secret of onboarded.acme (${original.id}); ${added.id} remains\n`,
    );
    expect(api.secrets.get(client.ClientId)!.map((s) => s.id)).toEqual([added.id]);
    const nothing = await cli([...args, 'consumers', 'rotate', 'acme', '--retire-previous']);
    expect(nothing.stdout).toBe(
      'nothing to retire: onboarded.acme has one app client and one secret\n',
    );
  });

  test('rotates a declared partner too: the broker stack keeps its client, only the secret changes', async () => {
    const api = secretRotationApi();
    proxy = await startAwsProxy(broker.endpoint, api.handler);
    const run = await cli([...broker.args(proxy.endpoint), 'consumers', 'rotate', 'marketplace']);
    expect(run.code).toBe(0);
    const [client] = await named('partner.marketplace');
    expect(api.secrets.get(client.ClientId)).toHaveLength(2);
  });

  test('fails when the consumer is a declared product, whose runtime the broker stack supplies', async () => {
    const api = secretRotationApi();
    proxy = await startAwsProxy(broker.endpoint, api.handler);
    const run = await cli([...broker.args(proxy.endpoint), 'consumers', 'rotate', 'web-shop']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "office-zones: error: product.web-shop is a product the blueprint declares: the stack OfficeZones-dev-Consumer-product-web-shop delivers its credentials to the product's runtime, so a secret rotated here would not reach it; its secret rotates on the schedule of that stack\n",
    );
    expect(api.secrets.size).toBe(0);
  });

  test('fails when the new secret cannot be delivered, and deletes it', async () => {
    const api = secretRotationApi();
    proxy = await startAwsProxy(broker.endpoint, api.handler);
    const args = broker.args(proxy.endpoint);
    await cli([...args, 'consumers', 'onboard', 'acme', '--scopes', 'orders/read']);
    const [client] = await named('onboarded.acme');
    const closedPipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const run = await cli([...args, 'consumers', 'rotate', 'acme'], {
      stdout: new Capture(closedPipe),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: could not deliver the new secret of acme (EPIPE: write EPIPE); deleted the new secret\n',
    );
    expect(api.secrets.get(client.ClientId)!.map((s) => s.value)).toEqual([client.ClientSecret]);
  });
});
