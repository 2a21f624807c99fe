import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { useTestCredentials, cli, referenceManifest } from './support/broker';

useTestCredentials();

// What the CLI says before it can talk to AWS: its input is checked first, and a missing region
// or missing credentials is named as the cause, not as a detail of something else.
describe('office-zones before any AWS call', () => {
  let dir: string;
  let manifestFile: string;
  let server: http.Server;
  let endpoint: string;
  let calls: number;
  const saved = { ...process.env };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cli-input-'));
    manifestFile = path.join(dir, 'broker-manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify(referenceManifest()));
    calls = 0;
    // Counts every request: none may reach it when the input is wrong.
    server = http.createServer((_req, res) => {
      calls++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    process.env = { ...saved };
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const withAws = () => [
    '--region',
    'eu-west-1',
    '--endpoint-url',
    endpoint,
    '--max-attempts',
    '1',
  ];

  test('fails when the name and scopes of an onboarding are wrong, all at once, calling nothing', async () => {
    const run = await cli([
      ...withAws(),
      '--manifest',
      manifestFile,
      'consumers',
      'onboard',
      'Bad Name!',
      '--scopes',
      'orders/read',
      'nope/read',
    ]);
    expect(run.stderr).toBe(
      'office-zones: error: cannot onboard "Bad Name!": name "Bad Name!" must be 2 to 30 lower-case letters, digits or single hyphens, starting with a letter; scope "nope/read" is not offered by the broker (offered: orders/read, orders/write, catalog/read)\n',
    );
    expect(run.code).toBe(2);
    expect(calls).toBe(0);
  });

  test('fails when a declared product is rotated or revoked, calling nothing', async () => {
    for (const command of [
      ['rotate', 'web-shop'],
      ['revoke', 'web-shop'],
    ]) {
      const run = await cli([...withAws(), '--manifest', manifestFile, 'consumers', ...command]);
      expect(run.stderr).toMatch(/^office-zones: error: product\.web-shop is (a product|declared)/);
      expect(run.code).toBe(2);
    }
    expect(calls).toBe(0);
  });

  test('fails when no region is set, naming the region first', async () => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
    const run = await cli(['--manifest', manifestFile, 'consumers', 'list']);
    expect(run.stderr).toBe(
      'office-zones: error: no AWS region: pass --region, set AWS_REGION, or give the profile a region (needed to read the user pool id from the SSM parameter /office-zones/OfficeZones/dev/broker/user-pool-id, or pass --user-pool-id)\n',
    );
    expect(run.code).toBe(2);
  });

  test('fails when there are no credentials, naming the credentials first', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const run = await cli([...withAws(), '--manifest', manifestFile, 'audit']);
    expect(run.stderr).toMatch(
      /^office-zones: error: no usable AWS credentials \(.+\): pass --profile, or set credentials the AWS CLI way \(default credential chain\) \(needed to read the user pool id from the SSM parameter \S+, or pass --user-pool-id\)\n$/,
    );
    expect(run.code).toBe(2);
  });
});
