/* global afterAll */
// Each test file gets a temporary directory of its own, removed when the file's tests are done.
// Apps built without an outdir (every `new App()` in a test) make a `cdk.out*` folder in the
// temporary directory and nothing removes it; about a hundred were left behind per `npm test`.
// os.tmpdir() is redirected for the file (core modules are shared by the worker, and a worker
// runs one file at a time) and TMPDIR is set for the child processes the tests start.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const tmpdir = os.tmpdir;
const dir = fs.mkdtempSync(path.join(tmpdir(), 'oz-test-'));
const savedEnv = process.env.TMPDIR;
os.tmpdir = () => dir;
process.env.TMPDIR = dir;

afterAll(() => {
  os.tmpdir = tmpdir;
  if (savedEnv === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedEnv;
  fs.rmSync(dir, { recursive: true, force: true });
});
