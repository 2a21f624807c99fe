import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsError, startAwsProxy, type AwsProxy, type ProxyHandler } from './support/aws-proxy';
import {
  useTestCredentials,
  brokerClientSettings,
  cli,
  startBroker,
  type TestBroker,
} from './support/broker';

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

async function through(handler: ProxyHandler): Promise<AwsProxy> {
  proxy = await startAwsProxy(broker.endpoint, handler);
  return proxy;
}

const ops = (p: AwsProxy, operation: string) => p.calls.filter((c) => c.operation === operation);

/** The one-line error contract: exactly one line, prefixed, and exit code 2. */
function expectOneLineError(run: { code: number; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr).toMatch(/^office-zones: error: .+\n$/);
  expect(run.stderr).toMatch(pattern);
}

describe('throttling', () => {
  test('retries throttled calls with backoff until they go through', async () => {
    let throttled = 0;
    const p = await through((call) => {
      if (call.operation === 'ListUserPoolClients' && throttled < 3) {
        throttled++;
        return awsError(400, 'TooManyRequestsException', 'Too many requests');
      }
      return 'forward';
    });
    const { code, stdout, stderr } = await cli([...broker.args(p.endpoint), 'consumers', 'list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('partner.marketplace');
    expect(ops(p, 'ListUserPoolClients')).toHaveLength(4);
  });

  test('retries a throttled create, which Cognito did not carry out, and makes one client', async () => {
    let throttled = false;
    const p = await through((call) => {
      if (call.operation === 'CreateUserPoolClient' && !throttled) {
        throttled = true;
        return awsError(400, 'TooManyRequestsException', 'Rate exceeded');
      }
      return 'forward';
    });
    const run = await cli([
      ...broker.args(p.endpoint),
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
    ]);
    expect(run.code).toBe(0);
    expect(ops(p, 'CreateUserPoolClient')).toHaveLength(2);
    expect((await broker.clientNames()).filter((n) => n === 'onboarded.acme')).toHaveLength(1);
  });

  test('fails after --max-attempts when the throttling does not stop', async () => {
    const p = await through(() => awsError(400, 'TooManyRequestsException', 'Too many requests'));
    const run = await cli([...broker.args(p.endpoint), '--max-attempts', '3', 'audit']);
    expectOneLineError(
      run,
      /cognito-idp:DescribeUserPool was still throttled after 3 attempts \(TooManyRequestsException\): try again later, or raise --max-attempts/,
    );
    expect(p.calls).toHaveLength(3);
  });
});

describe('pagination', () => {
  /** Pages ListUserPoolClients as Cognito does (cognito-local returns everything at once). */
  const paging: ProxyHandler = async (call, tools) => {
    if (call.operation !== 'ListUserPoolClients') return 'forward';
    const all = (await tools.forward()).body.UserPoolClients;
    const size = Math.min(call.input.MaxResults ?? 60, 2);
    const start = call.input.NextToken ? Number(call.input.NextToken.slice('page-'.length)) : 0;
    const end = start + size;
    return {
      status: 200,
      body: {
        UserPoolClients: all.slice(start, end),
        ...(end < all.length ? { NextToken: `page-${end}` } : {}),
      },
    };
  };

  test('lists and audits every client across pages', async () => {
    for (const name of ['a1', 'b2', 'c3', 'd4']) {
      await broker.addClient(brokerClientSettings(`onboarded.${name}`, ['orders/read']));
      broker.addApiKey(`onboarded.${name}`);
    }
    const p = await through(paging);
    const list = await cli([...broker.args(p.endpoint), 'consumers', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).clients).toHaveLength(7);
    const pages = ops(p, 'ListUserPoolClients');
    expect(pages.map((c) => c.input.NextToken)).toEqual([undefined, 'page-2', 'page-4', 'page-6']);
    expect(pages.every((c) => c.input.MaxResults === 60)).toBe(true);

    const audit = await cli([...broker.args(p.endpoint), 'audit', '--json']);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout).clients).toBe(7);
  });

  test('refuses an existing name found on a later page', async () => {
    for (const name of ['a1', 'b2', 'c3']) {
      await broker.addClient(brokerClientSettings(`onboarded.${name}`, ['orders/read']));
    }
    const p = await through(paging);
    const run = await cli([
      ...broker.args(p.endpoint),
      'consumers',
      'onboard',
      'c3',
      '--scopes',
      'orders/read',
    ]);
    expectOneLineError(run, /c3 is already onboarded/);
    expect(ops(p, 'CreateUserPoolClient')).toHaveLength(0);
  });
});

describe('a server that goes away', () => {
  test('fails with one line when the endpoint disappears in the middle of a list', async () => {
    const p = await through((call, tools) => {
      if (call.operation === 'DescribeUserPoolClient') {
        void p.close();
        tools.drop();
        return 'dropped';
      }
      return 'forward';
    });
    const run = await cli([...broker.args(p.endpoint), 'consumers', 'list']);
    expectOneLineError(
      run,
      new RegExp(
        `lost the connection to the cognito-idp endpoint at ${p.endpoint} during DescribeUserPoolClient after 5 attempts \\((ECONNRESET|ECONNREFUSED)\\)`,
      ),
    );
    expect(run.stdout).toBe('');
  });

  test('fails when the answer to a create is lost, and deletes the client the server made', async () => {
    const p = await through(async (call, tools) => {
      if (call.operation === 'CreateUserPoolClient') {
        await tools.forward(); // the server carries it out...
        tools.drop(); // ...and the answer never arrives
        return 'dropped';
      }
      return 'forward';
    });
    const run = await cli([
      ...broker.args(p.endpoint),
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
    ]);
    expectOneLineError(
      run,
      /onboarding acme failed: lost the connection to the cognito-idp endpoint at \S+ during CreateUserPoolClient \(ECONNRESET\); deleted the app client it had created \(\S+\)/,
    );
    // Not retried: a second create could have made a second client.
    expect(ops(p, 'CreateUserPoolClient')).toHaveLength(1);
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
  });

  test('says what may be left when the server stays away after a lost create', async () => {
    const p = await through(async (call, tools) => {
      if (call.operation === 'CreateUserPoolClient') {
        await tools.forward();
        void p.close();
        tools.drop();
        return 'dropped';
      }
      return 'forward';
    });
    const run = await cli([
      ...broker.args(p.endpoint),
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
    ]);
    expectOneLineError(
      run,
      /; the app client onboarded\.acme may exist: run office-zones consumers revoke acme once the endpoint answers\n$/,
    );
  });

  test('fails when nothing listens at the endpoint', async () => {
    const p = await through(() => undefined);
    await p.close();
    const run = await cli([...broker.args(p.endpoint), '--max-attempts', '2', 'audit']);
    expectOneLineError(
      run,
      /lost the connection to the cognito-idp endpoint at \S+ during DescribeUserPool after 2 attempts \(ECONNREFUSED\)/,
    );
  });
});

describe('credentials', () => {
  test('fails with one line, and without retrying, when the credentials have expired', async () => {
    const p = await through(() =>
      awsError(
        400,
        'ExpiredTokenException',
        'The security token included in the request is expired',
      ),
    );
    const run = await cli([...broker.args(p.endpoint), 'consumers', 'list']);
    expectOneLineError(
      run,
      /the AWS credentials have expired \(ExpiredTokenException on cognito-idp:DescribeUserPool\): refresh them/,
    );
    expect(p.calls).toHaveLength(1);
  });

  test('fails when the credentials are not recognised', async () => {
    const p = await through(() =>
      awsError(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
    );
    const run = await cli([...broker.args(p.endpoint), 'audit']);
    expectOneLineError(run, /the AWS credentials were rejected \(UnrecognizedClientException/);
  });

  test('fails when there are no credentials at all', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const run = await cli([...broker.args(), 'consumers', 'list']);
      expectOneLineError(run, /no usable AWS credentials \(.+\): pass --profile/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.key;
    }
  });

  test('uses a named profile from the shared credentials file', async () => {
    const saved = process.env.AWS_SHARED_CREDENTIALS_FILE;
    const file = path.join(broker.dir, 'credentials');
    fs.writeFileSync(
      file,
      '[partner-ops]\naws_access_key_id = AKIDPROFILEPROFILE\naws_secret_access_key = from-profile\n',
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    // The access keys in the environment stay: the SDK would warn on the console about both.
    const warn = jest.spyOn(console, 'warn');
    try {
      // The proxy sees which access key signed the request.
      const p = await through(() => 'forward');
      const run = await cli([...broker.args(p.endpoint), '--profile', 'partner-ops', 'audit']);
      expect(run.code).toBe(0);
      expect(p.calls[0].headers.authorization).toContain('Credential=AKIDPROFILEPROFILE/');
      expect(warn).not.toHaveBeenCalled();

      const missing = await cli([...broker.args(), '--profile', 'nobody', 'audit']);
      expectOneLineError(
        missing,
        /no usable AWS credentials for profile nobody \(.+\): check that profile in the shared config and credentials files, or sign in again \(aws sso login --profile nobody\)/,
      );
    } finally {
      warn.mockRestore();
      process.env.AWS_SHARED_CREDENTIALS_FILE = saved;
    }
  });

  test('fails when the caller may not call Cognito', async () => {
    const p = await through(() =>
      awsError(
        400,
        'AccessDeniedException',
        'User: arn:aws:iam::111122223333:user/x is not authorized',
      ),
    );
    const run = await cli([...broker.args(p.endpoint), 'audit']);
    expectOneLineError(
      run,
      /not allowed to call cognito-idp:DescribeUserPool \(AccessDeniedException\): User: arn:aws:iam::111122223333:user\/x is not authorized/,
    );
  });
});

describe('bad input', () => {
  test('fails when the user pool does not exist', async () => {
    const args = broker.args();
    args[args.indexOf('--user-pool-id') + 1] = 'eu-west-1_Nope12345';
    const run = await cli([...args, 'consumers', 'list']);
    expectOneLineError(
      run,
      /user pool eu-west-1_Nope12345 \(from --user-pool-id\) does not exist in this account and region: check --user-pool-id, --region and --profile/,
    );
  });

  test("fails when the user pool is not the broker's", async () => {
    const { CreateUserPoolCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const other = await broker.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'someone-else' }),
    );
    const args = broker.args();
    args[args.indexOf('--user-pool-id') + 1] = other.UserPool!.Id!;
    const run = await cli([...args, 'audit']);
    expectOneLineError(
      run,
      /is named "someone-else", not "OfficeZones-dev-broker" as the broker manifest says: wrong pool id or wrong manifest/,
    );
  });

  test('fails when a scope is not offered by the broker, and creates nothing', async () => {
    const run = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
      'orders/delete',
    ]);
    expectOneLineError(
      run,
      /cannot onboard "acme": scope "orders\/delete" is not offered by the broker \(offered: orders\/read, orders\/write, catalog\/read\)/,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.acme');
  });

  test('fails when the name has characters Cognito rejects, listing every problem at once', async () => {
    const run = await cli([
      ...broker.args(),
      'consumers',
      'onboard',
      'Acme Corp!',
      '--scopes',
      'orders/nope',
    ]);
    expectOneLineError(
      run,
      /cannot onboard "Acme Corp!": name "Acme Corp!" must be 2 to 30 lower-case letters, digits or single hyphens, starting with a letter; scope "orders\/nope" is not offered/,
    );
    expect(await broker.clientNames()).toEqual([
      'partner.marketplace',
      'product.loyalty',
      'product.web-shop',
    ]);
  });

  test('fails when an option is unknown or a value is missing', async () => {
    expectOneLineError(
      await cli([...broker.args(), 'consumers', 'onboard', 'acme']),
      /^office-zones: error: required option '--scopes <scope\.\.\.>' not specified \(see office-zones --help\)\n$/,
    );
    expectOneLineError(
      await cli(['audit', '--colour']),
      /^office-zones: error: unknown option '--colour' \(see office-zones --help\)\n$/,
    );
  });
});
