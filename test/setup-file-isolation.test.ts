import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

// Each file marks the environment, replaces process.env, moves the working directory and builds an
// app without an outdir; each checks at its start that no other file's marks are left. Whichever
// runs second catches a leak.
const marking = (name: string, other: string) => `import * as fs from 'node:fs';
import * as os from 'node:os';
const { App, Stack } = require(${JSON.stringify(require.resolve('aws-cdk-lib'))});

const start = {
  cwd: process.cwd(),
  env: { ...process.env },
  tmpdir: os.tmpdir(),
  log: console.log,
  spied: (console.log as any)._isMockFunction === true,
};
process.env.OZ_MARK_${name} = '1';
process.env = { ...process.env, OZ_REPLACED_${name}: '1' };
process.chdir(os.tmpdir());

test('starts clean: no other file left marks behind', () => {
  expect(start.env.OZ_MARK_${other}).toBeUndefined();
  expect(start.env.OZ_REPLACED_${other}).toBeUndefined();
  expect(start.cwd).toBe(${JSON.stringify(root)});
  expect(start.tmpdir).toBe(start.env.TMPDIR);
  expect(start.tmpdir).not.toBe(process.env.OZ_SYSTEM_TMP);
});

test('starts with real timers and no spy left by another file', async () => {
  expect(start.spied).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 10));
}, 1000);

test('leaves a spy and fake timers behind for the next file to not find', () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.useFakeTimers();
  expect(console.log).not.toBe(start.log);
});

test('builds an app that picks its own outdir', () => {
  const app = new App();
  new Stack(app, 'S');
  expect(app.synth().directory).toContain(os.tmpdir());
});

afterAll(() => {
  // The file's own afterAll still sees what the file set.
  fs.writeFileSync(process.env.OZ_RECORD + '.${name}', String(process.env.OZ_MARK_${name}));
});
`;

const timing = `let after = 0;
test('never settles', () => new Promise(() => undefined), 300);
test('runs after the one that timed out', () => { after += 1; expect(after).toBe(1); });
test('never calls done', (done) => { void done; }, 250);
test('calls done', (done) => { setTimeout(done, 10); });
describe('a hook that never settles', () => {
  beforeAll(() => new Promise(() => undefined), 200);
  test('fails the file by its hook', () => undefined);
});
`;

function runJest(tests: string, args: string[]) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-isolation-'));
  const tmp = path.join(work, 'tmp');
  fs.mkdirSync(tmp);
  const run = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--ci',
      '--config',
      JSON.stringify({ ...require('../jest.config.js'), rootDir: root, roots: [tests] }),
      '--cacheDirectory',
      path.join(work, 'cache'),
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        TMPDIR: tmp,
        OZ_SYSTEM_TMP: tmp,
        OZ_RECORD: path.join(work, 'record'),
      },
    },
  );
  // tsx keeps its compile cache in the system's temporary directory (tsx-<uid>), as it should.
  const left = fs.readdirSync(tmp).filter((f) => !f.startsWith('tsx-'));
  const records = Object.fromEntries(
    fs
      .readdirSync(work)
      .filter((f) => f.startsWith('record.'))
      .map((f) => [f.slice('record.'.length), fs.readFileSync(path.join(work, f), 'utf8')]),
  );
  fs.rmSync(work, { recursive: true, force: true });
  return { ...run, left, records };
}

describe('test/setup-file-isolation.js under jest-light-runner', () => {
  const tests = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-isolation-tests-'));
  beforeAll(() => {
    fs.writeFileSync(path.join(tests, 'a.test.ts'), marking('A', 'B'));
    fs.writeFileSync(path.join(tests, 'b.test.ts'), marking('B', 'A'));
  });
  afterAll(() => fs.rmSync(tests, { recursive: true, force: true }));

  test('gives each file in a worker the environment and working directory it started with', () => {
    const run = runJest(tests, ['--runInBand']);
    expect(run.stderr).toContain('Tests:       8 passed, 8 total');
    expect(run.records).toEqual({ A: '1', B: '1' });
    expect(run.left).toEqual([]);
  });

  describe('with two workers, in one run: the marking files, a file whose tests time out, a file that leaves a server open and one more', () => {
    // One nested jest run for the three behaviours below: each run costs a jest start and its
    // workers (some 4 s of CPU), and the behaviours do not disturb each other's files.
    let run: ReturnType<typeof runJest>;
    beforeAll(() => {
      const mixed = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-isolation-mixed-'));
      for (const file of fs.readdirSync(tests))
        fs.copyFileSync(path.join(tests, file), path.join(mixed, file));
      fs.writeFileSync(path.join(mixed, 'c.test.ts'), timing);
      fs.writeFileSync(
        path.join(mixed, 'd.test.ts'),
        `import * as http from 'node:http';
test('listens and never closes', async () => {
  await new Promise<void>((resolve) => http.createServer().listen(0, '127.0.0.1', resolve));
});
`,
      );
      fs.writeFileSync(path.join(mixed, 'e.test.ts'), `test('passes', () => undefined);\n`);
      run = runJest(mixed, ['--maxWorkers=2', '--verbose']);
      fs.rmSync(mixed, { recursive: true, force: true });
    });

    test('removes each worker process its temporary directory, cdk.out folders included', () => {
      expect(run.records).toEqual({ A: '1', B: '1' });
      expect(run.left).toEqual([]);
    });

    test('fails a test or hook that outlives its timeout, with jest words, and runs the next', () => {
      expect(run.status).toBe(1);
      // Only the file with the timeouts fails; the others pass beside it.
      expect(run.stderr.match(/^FAIL .*$/gm)).toEqual([expect.stringMatching(/c\.test\.ts$/)]);
      expect(run.stderr.match(/^PASS .*$/gm)?.length).toBe(4);
      expect(run.stderr).toContain('Exceeded timeout of 300 ms for a test.');
      expect(run.stderr).toContain('Exceeded timeout of 250 ms for a test.');
      // The timeout names where the test was declared, as jest's runner does.
      expect(run.stderr).toMatch(/Exceeded timeout of 300 ms[^]*?c\.test\.ts:2:1/);
      expect(run.stderr).toContain('Exceeded timeout of 200 ms for a hook.');
      expect(run.stderr).toMatch(/✓ runs after the one that timed out/);
      // jest-light-runner still runs the tests under a failed beforeAll; the hook fails the file.
      expect(run.stderr).toMatch(/✕ \(beforeAll\)/);
      // a and b: 4 each; c: 6 (3 failed); d and e: 1 each.
      expect(run.stderr).toContain('Tests:       3 failed, 13 passed, 16 total');
    });

    test('stops a worker whose tests left a server open, and removes its directory', () => {
      // spawnSync's own time limit did not have to end it (it would say ETIMEDOUT).
      expect(run.error).toBeUndefined();
      expect(run.signal).toBeNull();
      expect(run.stderr).toContain('A test worker was stopped: its tests left TCPServerWrap open');
      expect(run.left).toEqual([]);
    });
  });
});
