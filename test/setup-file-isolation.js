/* global expect, jest */
// What jest's default runner gave each test file, kept under jest-light-runner (DEC-042).
//
// jest-light-runner runs test files one after another in the same Node.js process (two workers),
// so aws-cdk-lib, cdk-nag and our sources load once per worker instead of once per file. It runs
// this file once per worker, not once per test file, and it has no test timeouts. This file gives
// the tests back what they rely on:
// - a temporary directory of the worker's own, removed when the worker exits: os.tmpdir() and
//   TMPDIR point into it (apps built without an outdir make their `cdk.out*` folder there). One
//   per worker, not per file: aws-cdk-lib keeps the first os.tmpdir() it reads for the process;
// - for each file, process.env, process.env itself and the working directory as they were before
//   the file ran, real timers, and every jest.spyOn spy restored;
// - a timeout for every test and hook, done callbacks included: the one given to test() or
//   beforeAll(), else the config's testTimeout (not a --testTimeout given on the command line,
//   which jest-light-runner does not pass on). A test that never settles fails with jest's words,
//   pointing at the test, and the next one runs;
// - a worker that ends: when the runner lets a worker go and a test left a server, socket or timer
//   open, the worker says what was open and exits, as jest's runner force-exits its workers.
// A file starts when the runner sets expect's testPath, before it loads the file; it ends with
// the last afterAll hook of its root block, or when the next file starts if it never got that far.
// test/setup-file-isolation.test.ts runs files through this setup and proves each of these.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const circus = require('jest-circus');

const DEFAULT_TIMEOUT_MS = require('../jest.config.js').testTimeout ?? 5000;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realTmpdir = os.tmpdir;
const realEnv = process.env;

const dir = fs.mkdtempSync(path.join(realTmpdir(), 'oz-test-'));
os.tmpdir = () => dir;
process.env.TMPDIR = dir;
process.on('exit', () => {
  endFile();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** @type {{ testPath: string, env: Record<string, string | undefined>, cwd: string } | undefined} */
let current;
let currentRoot;

function startFile(testPath) {
  if (current) endFile();
  current = { testPath, env: { ...process.env }, cwd: process.cwd() };
}

function endFile() {
  const file = current;
  if (!file) return;
  current = undefined;
  os.tmpdir = () => dir;
  process.env = realEnv;
  for (const key of Object.keys(process.env)) if (!(key in file.env)) delete process.env[key];
  for (const [key, value] of Object.entries(file.env)) process.env[key] = value;
  if (process.cwd() !== file.cwd) process.chdir(file.cwd);
  jest.useRealTimers();
  jest.restoreAllMocks();
}

// jest-light-runner lets a child-process worker go by disconnecting it; a worker whose tests left
// a handle open would otherwise live on (and keep `npm test | tee` waiting on its output).
if (process.connected) {
  process.on('disconnect', () => {
    realSetTimeout(() => {
      const open = process.getActiveResourcesInfo().filter((r) => !/^(TTYWrap|PipeWrap)$/.test(r));
      process.stderr.write(
        `A test worker was stopped: its tests left ${open.join(', ') || 'handles'} open (a server, socket or timer not closed in afterAll).\n`,
      );
      process.exit(process.exitCode ?? 0);
    }, 1000).unref();
  });
}

const setState = expect.setState;
expect.setState = function (state) {
  if (state && typeof state.testPath === 'string' && state.testPath !== current?.testPath)
    startFile(state.testPath);
  return setState.call(this, state);
};

/** A test's or hook's function as one returning a promise: a done callback settles it. */
function asPromise(fn) {
  if (fn.length === 0) return fn;
  return function () {
    return new Promise((resolve, reject) => {
      const done = (error) => (error ? reject(error) : resolve());
      done.fail = reject;
      fn.call(this, done);
    });
  };
}

function withTimeout(fn, timeout, asyncError, what) {
  if (typeof fn !== 'function') return fn;
  const run = asPromise(fn);
  const ms = timeout ?? DEFAULT_TIMEOUT_MS;
  return function () {
    let timer;
    const expired = new Promise((_, reject) => {
      timer = realSetTimeout(() => {
        const message = `Exceeded timeout of ${ms} ms for ${what}.\nAdd a timeout value to this test to increase the timeout, if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout.`;
        const error = new Error(message);
        // Where the test or hook was declared, as jest's runner reports a timeout.
        if (asyncError?.stack)
          error.stack = `Error: ${message}\n${asyncError.stack.split('\n').slice(1).join('\n')}`;
        reject(error);
      }, ms);
    });
    return Promise.race([Promise.resolve().then(() => run.call(this)), expired]).finally(() =>
      realClearTimeout(timer),
    );
  };
}

const endHook = {
  type: 'afterAll',
  fn: () => endFile(),
  timeout: undefined,
  asyncError: new Error(),
};

circus.addEventHandler((event, state) => {
  const root = state.rootDescribeBlock;
  if (root !== currentRoot) {
    currentRoot = root;
    root.hooks.push(endHook);
  }
  if (event.name === 'add_test') {
    const test = state.currentDescribeBlock.children.at(-1);
    if (test?.type === 'test')
      test.fn = withTimeout(test.fn, test.timeout, test.asyncError, 'a test');
  } else if (event.name === 'add_hook') {
    const hook = state.currentDescribeBlock.hooks.at(-1);
    if (hook && hook !== endHook)
      hook.fn = withTimeout(hook.fn, hook.timeout, hook.asyncError, 'a hook');
    // The file's own afterAll hooks run first: they may still use the directory and the env.
    const at = root.hooks.indexOf(endHook);
    if (at !== root.hooks.length - 1) root.hooks.push(...root.hooks.splice(at, 1));
  }
});
