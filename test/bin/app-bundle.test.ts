import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLES_KEPT, bundledEntry } from '../../bin/app-bundle';
import { withCachesOff } from '../helpers';

/**
 * A small TypeScript project: an entry that imports a module which reads files beside itself
 * (`__dirname`) and can throw, as the constructs find their handlers and policy documents.
 */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-bundle-'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'policy.json'), '{"Version":"2012-10-17"}');
  const write = (greeting: string) =>
    fs.writeFileSync(
      path.join(dir, 'lib', 'where.ts'),
      [
        "import * as fs from 'node:fs';",
        "import * as path from 'node:path';",
        'export const policy = (): string =>',
        "  fs.readFileSync(path.join(__dirname, 'policy.json'), 'utf8');",
        `export const greeting: string = ${JSON.stringify(greeting)};`,
        'export function fail(): never {',
        "  throw new Error('the sources are broken');",
        '}',
        '',
      ].join('\n'),
    );
  write('hello');
  const entry = path.join(dir, 'entry.ts');
  fs.writeFileSync(
    entry,
    [
      "import { fail, greeting, policy } from './lib/where';",
      'console.log(JSON.stringify({ greeting, policy: policy(), file: __filename }));',
      'if (process.env.FAIL) fail();',
      '',
    ].join('\n'),
  );
  const cacheDir = path.join(dir, 'cache');
  return { dir, entry, cacheDir, write };
}

/** Runs a bundle the way bin/app-bundle.js does: plain node, stack traces source-mapped. */
function run(file: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--enable-source-maps', file], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('bin/app-bundle.js: bin/app.ts as one cached bundle', () => {
  test('runs the sources with their own __dirname and __filename, though the bundle lives in the cache', async () => {
    const { dir, entry, cacheDir } = project();
    const { file, fromCache } = await bundledEntry(entry, { cacheDir });
    expect(fromCache).toBe(false);
    expect(file.startsWith(cacheDir)).toBe(true);
    const result = run(file);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      greeting: 'hello',
      policy: '{"Version":"2012-10-17"}',
      file: entry,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bundles again only when a source changes, and then runs the change', async () => {
    const { dir, entry, cacheDir, write } = project();
    const first = await bundledEntry(entry, { cacheDir });
    const again = await bundledEntry(entry, { cacheDir });
    expect(again).toEqual({ file: first.file, fromCache: true });

    write('changed');
    const changed = await bundledEntry(entry, { cacheDir });
    expect(changed.fromCache).toBe(false);
    expect(changed.file).not.toBe(first.file);
    expect(JSON.parse(run(changed.file).stdout).greeting).toBe('changed');

    // Back to the first sources: the first bundle is still kept, and found.
    write('hello');
    const back = await bundledEntry(entry, { cacheDir });
    expect(back.file).toBe(first.file);
    expect(JSON.parse(run(back.file).stdout).greeting).toBe('hello');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a removed source or a damaged record makes a new bundle, never a stale one', async () => {
    const { dir, entry, cacheDir } = project();
    const { file } = await bundledEntry(entry, { cacheDir });
    const slot = path.dirname(path.dirname(file));
    fs.writeFileSync(path.join(slot, 'inputs.json'), 'null');
    expect((await bundledEntry(entry, { cacheDir })).fromCache).toBe(false);
    fs.rmSync(path.dirname(file), { recursive: true });
    expect((await bundledEntry(entry, { cacheDir })).fromCache).toBe(false);
    fs.rmSync(path.join(dir, 'lib', 'where.ts'));
    await expect(bundledEntry(entry, { cacheDir })).rejects.toThrow(
      /esbuild could not bundle .*entry\.ts:\n {2}entry\.ts:1:40: Could not resolve "\.\/lib\/where"$/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('stack traces name the TypeScript source and line, not the bundle', async () => {
    const { dir, entry, cacheDir } = project();
    const { file } = await bundledEntry(entry, { cacheDir });
    const result = run(file, { FAIL: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: the sources are broken');
    // Line 7, column 9 of where.ts throws: renaming __dirname moved no line or column.
    expect(result.stderr).toContain(`${path.join(dir, 'lib', 'where.ts')}:7:9`);
    expect(result.stderr).toContain(`${entry}:3:23`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a syntax error fails with esbuild's message naming the file and line", async () => {
    const { dir, entry, cacheDir } = project();
    fs.writeFileSync(path.join(dir, 'lib', 'where.ts'), 'export const greeting = ;\n');
    await expect(bundledEntry(entry, { cacheDir })).rejects.toThrow(
      /esbuild could not bundle .*entry\.ts:\n {2}lib\/where\.ts:1:25: Unexpected ";"$/,
    );
    // Nothing half-made is left: no staging folder, no record.
    const slots = fs.readdirSync(cacheDir);
    expect(slots).toHaveLength(1);
    expect(fs.readdirSync(path.join(cacheDir, slots[0]))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('OFFICE_ZONES_CACHE=off bundles every time', async () => {
    const { dir, entry, cacheDir } = project();
    await bundledEntry(entry, { cacheDir });
    const off = await withCachesOff(() => bundledEntry(entry, { cacheDir }));
    expect(off.fromCache).toBe(false);
    expect((await bundledEntry(entry, { cacheDir })).fromCache).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`keeps the newest ${BUNDLES_KEPT} bundles of an entry`, async () => {
    const { dir, entry, cacheDir, write } = project();
    let last = '';
    for (let i = 0; i < BUNDLES_KEPT + 3; i++) {
      write(`version ${i}`);
      last = (await bundledEntry(entry, { cacheDir })).file;
    }
    const slot = path.dirname(path.dirname(last));
    const bundles = fs.readdirSync(slot).filter((f) => f !== 'inputs.json');
    expect(bundles).toHaveLength(BUNDLES_KEPT);
    expect(bundles).toContain(path.basename(path.dirname(last)));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
