import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

describe('test/setup-tmpdir.js', () => {
  test('leaves no cdk.out folder of an app without an outdir in the temporary directory', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-tmpdir-'));
    const tests = path.join(work, 'tests');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tests);
    fs.mkdirSync(tmp);
    fs.writeFileSync(
      path.join(tests, 'app.test.js'),
      `const { App, Stack } = require(${JSON.stringify(require.resolve('aws-cdk-lib'))});
test('synthesizes an app that picks its own outdir', () => {
  const app = new App();
  new Stack(app, 'S');
  expect(app.synth().directory).toContain('cdk.out');
});
`,
    );
    const config = {
      rootDir: root,
      roots: [tests],
      testMatch: ['**/*.test.js'],
      setupFiles: ['<rootDir>/test/setup-env.js'],
      setupFilesAfterEnv: ['<rootDir>/test/setup-tmpdir.js'],
      cacheDirectory: path.join(work, 'cache'),
    };
    const run = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--ci', '--config', JSON.stringify(config)],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } },
    );
    const left = fs.readdirSync(tmp);
    fs.rmSync(work, { recursive: true, force: true });
    expect(run.stderr).toContain('1 passed');
    expect(left).toEqual([]);
  });
});
