import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { useTestCredentials, cli, referenceManifest } from '../lib/cli/support/broker';

useTestCredentials();

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);

let home: string;
let manifest: string;
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-home-'));
  manifest = path.join(home, 'broker-manifest.json');
  fs.writeFileSync(manifest, JSON.stringify(referenceManifest()));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/**
 * The environment of a user's shell: no AWS variables but those given, an empty home (no
 * ~/.aws), no instance metadata; npm offline, so a miss can never fetch a package by that name.
 */
function shell(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !k.startsWith('npm_')) env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

async function officeZones(args: string[], env: NodeJS.ProcessEnv, command = 'node') {
  const argv = command === 'node' ? ['bin/office-zones.js', ...args] : ['office-zones', ...args];
  try {
    const { stdout, stderr } = await run(command, argv, { cwd: root, env, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npx office-zones', () => {
  test('works in the repository after npm ci and lists the commands and exit codes', async () => {
    const { code, stdout, stderr } = await officeZones(['--help'], shell(), 'npx');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: office-zones \[options\] \[command\]/);
    for (const command of [
      'consumers list',
      'consumers onboard <name> --scopes <scope...>',
      'consumers rotate <name>',
      'consumers revoke <name>',
      'audit [--json]',
      'smoke --credentials <file> | --secret <name-or-arn> [--json]',
    ]) {
      expect(stdout).toContain(command);
    }
    for (const option of ['--user-pool-id <id>', '--api-id <id>', '--usage-plan-id <id>']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('0  success');
    expect(stdout).toContain('1  audit found drift; smoke: a hop failed');
    expect(stdout).toContain('2  error');
  });

  test.each([
    'consumers list',
    'consumers onboard',
    'consumers rotate',
    'consumers revoke',
    'audit',
    'smoke',
  ])('%s --help shows an example', async (command) => {
    const { code, stdout, stderr } = await cli([...command.split(' '), '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Example:\n  $ npx office-zones ${command}`);
  });
});

describe('bin/office-zones.ts in its own process', () => {
  test('fails with exactly one line on stderr on Node 20, SDK notices included', async () => {
    const { code, stdout, stderr } = await officeZones(
      [
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--region',
        'eu-west-1',
        '--manifest',
        manifest,
        '--user-pool-id',
        'eu-west-1_AbC123',
        '--max-attempts',
        '1',
        'audit',
      ],
      shell({ AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test' }),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'office-zones: error: lost the connection to the cognito-idp endpoint at http://127.0.0.1:9 during DescribeUserPool (ECONNREFUSED)\n',
    );
  });
});
