import {
  API_KEY,
  CLIENT_SECRET,
  SECRET_ARN,
  SECRET_NAME,
  startOrderFlow,
  type OrderFlow,
} from './support/order-flow';
import { useTestCredentials, cli, type CliRun } from './support/broker';

useTestCredentials();

// The whole order flow on loopback: token endpoint, broker API, intake queue, the real
// book-to-bill workflow and the ledgers in dynalite. A simulation with stand-ins, not AWS.
let flow: OrderFlow;
beforeAll(async () => {
  // The workflow logs each message it processes; the tests read the CLI's output only.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  flow = await startOrderFlow();
});
afterAll(() => flow.close());
afterEach(() => flow.reset());

/** Polls fast; a test that waits for a status that never comes shortens the timeout. */
function smoke(...args: string[]): Promise<CliRun> {
  return cli(['--manifest', flow.manifestFile, 'smoke', '--interval', '0.02', ...args], {
    cwd: flow.dir,
  });
}
const SHORT = ['--timeout', '0.4'];

/** Neither the client secret, the API key nor an access token appears anywhere. */
function expectNoSecrets(run: CliRun) {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(CLIENT_SECRET);
  expect(all).not.toContain(API_KEY);
  expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
}

function orderIdOf(run: CliRun): string {
  return /orderId (smoke-[a-z0-9]+-[0-9a-f]{6})/.exec(run.stdout)![1];
}

describe('office-zones smoke', () => {
  test('walks token, submit, poll and catalogue and prints each hop with its latency', async () => {
    const run = await smoke('--credentials', flow.credentialsFile, '--param', 'category=tea');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`office-zones smoke: product.web-shop through ${flow.api.url}`);
    expect(lines.slice(1, 5).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ['token', 'ok'],
      ['submit', 'ok'],
      ['poll', 'ok'],
      ['catalogue', 'ok'],
    ]);
    for (const line of lines.slice(1, 5)) expect(line).toMatch(/ ok\s+\d+ ms {2}\S/);
    const orderId = orderIdOf(run);
    expect(lines[1]).toContain('scopes orders/write orders/read catalog/read');
    expect(lines[2]).toMatch(
      new RegExp(
        `POST /orders answered 202: orderId ${orderId} accepted \\[request id [0-9a-f-]{36}\\]$`,
      ),
    );
    expect(lines[3]).toContain(`GET /orders/${orderId}: INVOICED after `);
    expect(lines[3]).toMatch(/\((ACCEPTED, |FULFILLED, )*INVOICED\)$/);
    expect(lines[4]).toContain('GET /catalog/items?category=tea answered 200: 1 item');
    expect(lines[5]).toMatch(/^passed: token, submit, poll, catalogue in \d/);
    expectNoSecrets(run);
    // The order went through the real workflow into the ledger, and was invoiced once.
    expect(await flow.order(orderId)).toMatchObject({
      orderId,
      status: 'INVOICED',
      invoiceId: `INV-${orderId}`,
      operation: 'orders.submit',
    });
    expect(flow.api.integrations.map((i) => i.headers['x-amz-target'])[0]).toBe(
      'AmazonSQS.SendMessage',
    );
  });

  test('reads a product secret by ARN and prints one JSON document with --json', async () => {
    const run = await smoke(
      '--secret',
      SECRET_ARN,
      '--endpoint-url',
      flow.endpoint,
      '--region',
      'eu-west-1',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      result: 'passed',
      consumer: 'product.web-shop',
      tokenUrl: flow.tokens.tokenUrl,
      apiUrl: flow.api.url,
    });
    expect(doc.hops.map((h: { hop: string; result: string }) => `${h.hop} ${h.result}`)).toEqual([
      'secret ok',
      'token ok',
      'submit ok',
      'poll ok',
      'catalogue ok',
    ]);
    for (const hop of doc.hops) expect(Number.isInteger(hop.latencyMs)).toBe(true);
    expect(doc.hops[4].detail).toBe('GET /catalog/items?category=smoke answered 200: 0 items');
    expectNoSecrets(run);
  });

  test('fails when the secret does not exist: the secret hop, exit 1', async () => {
    const run = await smoke(
      '--secret',
      `${SECRET_NAME}-typo`,
      '--endpoint-url',
      flow.endpoint,
      '--region',
      'eu-west-1',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `office-zones: smoke failed at secret: no secret ${SECRET_NAME}-typo in this account and region (ResourceNotFoundException): check --secret, --region and --profile\n`,
    );
  });

  test('fails when the client secret is wrong: the token hop, exit 1', async () => {
    flow.tokens.state.clientSecrets = [{ id: 'x', value: 'rotated-away', created: 1 }];
    const run = await smoke('--credentials', flow.credentialsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `office-zones: smoke failed at token: POST ${new URL(flow.tokens.tokenUrl).origin}/oauth2/token refused the client credentials of product.web-shop: 400 invalid_client: the client id or secret is wrong, or the app client was deleted or its secret rotated (office-zones consumers list shows the app clients)\n`,
    );
    expect(run.stdout).toMatch(/\n {2}token {6}FAILED +\d+ ms {2}POST /);
    expectNoSecrets(run);
  });

  test('fails when the app client is allowed none of the scopes: the token hop, exit 1', async () => {
    flow.tokens.state.clientScopes = ['inventory/read'];
    const run = await smoke('--credentials', flow.credentialsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'refused the client credentials of product.web-shop: 400 invalid_scope: the app client is allowed none of these scopes (asked for orders/write orders/read catalog/read)\n',
    );
  });

  test('fails when the token lacks the scope of a route: the submit hop, exit 1', async () => {
    // The loyalty product's scopes: Cognito leaves out the scopes the client is not allowed.
    flow.tokens.state.clientScopes = ['orders/read'];
    const run = await smoke('--credentials', flow.credentialsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^office-zones: smoke failed at submit: POST \/orders answered 401 "Unauthorized" \[request id [0-9a-f-]{36}\]: the token's scopes \(orders\/read\) lack orders\/write, which POST \/orders needs: allow that scope for product\.web-shop's app client\n$/,
    );
    expect(run.stdout).toContain('scopes orders/read\n');
  });

  test('fails with --json: one document with the hops so far and the failure, and the line on stderr', async () => {
    flow.apiKeys.clear();
    const run = await smoke('--credentials', flow.credentialsFile, '--json');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.result).toBe('failed');
    expect(doc.hops.map((h: { hop: string; result: string }) => `${h.hop} ${h.result}`)).toEqual([
      'token ok',
      'submit failed',
    ]);
    expect(doc.failure.hop).toBe('submit');
    expect(run.stderr).toBe(`office-zones: smoke failed at submit: ${doc.failure.reason}\n`);
  });

  test('fails when the API key is refused: the submit hop, exit 1', async () => {
    flow.apiKeys.clear();
    const run = await smoke('--credentials', flow.credentialsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^office-zones: smoke failed at submit: POST \/orders answered 403 "Forbidden" \[request id [0-9a-f-]{36}\]: the API key was refused \(not an enabled key in a usage plan of this API\), or AWS WAF blocked the request\n$/,
    );
    expectNoSecrets(run);
  });

  test('fails when the broker refuses the order: the submit hop with the validation details, exit 1', async () => {
    const order = flow.file('bad-order.json', {
      orderId: 'smoke-refused-0001',
      customerId: 'C-1',
      currency: 'XYZ',
      lines: [{ sku: 'TEA-001', quantity: 1, unitPrice: 1 }],
    });
    const run = await smoke('--credentials', flow.credentialsFile, '--order', order);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^office-zones: smoke failed at submit: POST \/orders answered 400 "the request body is not valid" \(\[\/currency must be equal to one of the allowed values\]\) \[request id [0-9a-f-]{36}\]: the broker refused the request as invalid\n$/,
    );
  });

  test('fails when the order stops before INVOICED: the poll hop with the last status, exit 1', async () => {
    // The workflow cannot write invoices: every delivery stops after fulfilment.
    flow.workflow.config = { ...flow.workflow.config, invoicesTable: 'no-such-table' };
    const run = await smoke('--credentials', flow.credentialsFile, ...SHORT);
    expect(run.code).toBe(1);
    const orderId = /orderId (smoke-[a-z0-9]+-[0-9a-f]{6}) accepted/.exec(run.stdout)![1];
    expect(run.stderr).toMatch(
      new RegExp(
        `^office-zones: smoke failed at poll: orderId ${orderId} was not INVOICED within 400 ms: last status FULFILLED after \\d+ reads? \\((ACCEPTED, )?FULFILLED\\): the workflow stopped on the way; check its logs and dead-letter queue, or raise --timeout\\n$`,
      ),
    );
  });

  test('fails when no workflow takes the order: the poll hop, exit 1', async () => {
    flow.mapping.pause();
    const run = await smoke('--credentials', flow.credentialsFile, ...SHORT);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^office-zones: smoke failed at poll: orderId smoke-\S+ was not INVOICED within 400 ms: GET \/orders\/smoke-\S+ answered 404 on all of \d+ reads, so the back office never recorded it: check that its workflow consumes the intake queue, and its dead-letter queue \(a refused order lands there\)\n$/,
    );
  });

  test('fails when the catalogue cannot be read: the catalogue hop, exit 1', async () => {
    flow.targets.catalog = { ...flow.targets.catalog, ledgerTable: 'no-such-table' };
    const run = await smoke('--credentials', flow.credentialsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^office-zones: smoke failed at catalogue: GET \/catalog\/items\?category=smoke answered 502 "the back office could not answer" \[request id [0-9a-f-]{36}\]: the broker or the back office failed\n$/,
    );
    expect(run.stdout).toMatch(/ {2}poll {7}ok /);
  });
});

describe('office-zones smoke with bad input: exit 2, nothing sent', () => {
  test('fails when neither or both credentials options are given', async () => {
    for (const args of [[], ['--credentials', 'a.json', '--secret', 'b']]) {
      const run = await smoke(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'office-zones: error: smoke needs the credentials of one consumer: pass --credentials <file> (from office-zones consumers onboard --out) or --secret <name-or-arn>, not both\n',
      );
    }
  });

  test('fails when the credentials file lacks fields, naming each without showing a secret', async () => {
    const file = flow.file('partial.json', { clientId: 42, apiKey: API_KEY, apiUrl: ['x'] });
    const run = await smoke('--credentials', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `office-zones: error: ${file} does not hold usable credentials (3 problems): clientId: must be a non-empty string (received: 42); clientSecret: is required (received: undefined); apiUrl: must be a non-empty string (received: ["x"])\n`,
    );
    expect(flow.api.integrations).toEqual([]);
  });

  test('fails when the catalogue query takes no such parameter, and when a duration is out of range', async () => {
    const run = await smoke('--credentials', flow.credentialsFile, '--param', 'colour=red');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: cannot run the smoke test: --param colour: catalog.listItems takes no parameter of that name (it takes: category)\n',
    );
    const slow = await smoke('--credentials', flow.credentialsFile, '--timeout', '0');
    expect(slow.code).toBe(2);
    expect(slow.stderr).toBe(
      "office-zones: error: option '--timeout <seconds>' argument '0' is invalid. must be a number of seconds from 0.1 to 3600 (see office-zones --help)\n",
    );
  });

  test('fails when a URL would send the credentials over plain HTTP to another machine', async () => {
    const run = await smoke(
      '--credentials',
      flow.credentialsFile,
      '--token-url',
      'http://auth.example.com/oauth2/token',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: the token URL from --token-url is http://auth.example.com: credentials are only sent over HTTPS (plain HTTP only to this machine)\n',
    );
  });

  test('--help shows an example', async () => {
    const run = await cli(['smoke', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Example:\n  $ npx office-zones smoke --credentials acme-credentials.json',
    );
  });
});
