import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLES_KEPT, bundledEntry, SLOTS_KEPT } from '../../bin/app-bundle';
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
      /esbuild could not bundle .*entry\.ts:\n {2}.*entry\.ts:1:40: Could not resolve "\.\/lib\/where"$/,
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
      /esbuild could not bundle .*entry\.ts:\n {2}.*lib\/where\.ts:1:25: Unexpected ";"$/,
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

  test("names an error's place relative to the working folder, its column in characters", async () => {
    const { dir, entry, cacheDir } = project();
    // Three em dashes: 9 bytes of UTF-8, 3 characters, before the error.
    fs.writeFileSync(path.join(dir, 'lib', 'where.ts'), 'const s = "———"; const b = ;\n');
    const relative = path.relative(process.cwd(), path.join(dir, 'lib', 'where.ts'));
    await expect(bundledEntry(entry, { cacheDir })).rejects.toThrow(
      `\n  ${relative}:1:28: Unexpected ";"`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('records what esbuild read: a source saved while the bundle is made is bundled next time', async () => {
    const { dir, entry, cacheDir } = project();
    const where = path.join(dir, 'lib', 'where.ts');
    const readFile = fs.promises.readFile;
    // The editor saves where.ts just after esbuild has read it, before the bundle is recorded.
    const spy = jest.spyOn(fs.promises, 'readFile').mockImplementation(((
      ...args: Parameters<typeof readFile>
    ) =>
      readFile(...args).then((bytes) => {
        if (String(args[0]) === where)
          fs.writeFileSync(where, String(bytes).replace('"hello"', '"saved"'));
        return bytes;
      })) as typeof readFile);
    try {
      const during = await bundledEntry(entry, { cacheDir });
      expect(JSON.parse(run(during.file).stdout).greeting).toBe('hello');
    } finally {
      spy.mockRestore();
    }
    const after = await bundledEntry(entry, { cacheDir });
    expect(after.fromCache).toBe(false);
    expect(JSON.parse(run(after.file).stdout).greeting).toBe('saved');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a bundle folder missing a file is made again, never run', async () => {
    const { dir, entry, cacheDir } = project();
    const { file } = await bundledEntry(entry, { cacheDir });
    fs.rmSync(file);
    const again = await bundledEntry(entry, { cacheDir });
    expect(again).toEqual({ file, fromCache: false });
    expect(run(again.file).status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('OFFICE_ZONES_CACHE=off runs the bundle it just made, not the cached file', async () => {
    const { dir, entry, cacheDir } = project();
    const { file } = await bundledEntry(entry, { cacheDir });
    fs.appendFileSync(file, '\nconsole.log("tampered");\n');
    const off = await withCachesOff(() => bundledEntry(entry, { cacheDir }));
    expect(run(off.file).stdout).not.toContain('tampered');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refuses a source that reads require.main, which a bundle would answer wrongly', async () => {
    const { dir, entry, cacheDir } = project();
    fs.appendFileSync(entry, 'if (require.main === module) console.log("main");\n');
    await expect(bundledEntry(entry, { cacheDir })).rejects.toThrow(
      /entry\.ts:4:5: reads require\.main, which a bundle cannot answer for this file: run this entry with tsx$/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bundles are readable by every user of the checkout', async () => {
    const { dir, entry, cacheDir } = project();
    const { file } = await bundledEntry(entry, { cacheDir });
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o755);
    expect(fs.statSync(file).mode & 0o044).toBe(0o044);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`keeps the bundles of the newest ${SLOTS_KEPT} entries`, async () => {
    const { dir, cacheDir } = project();
    const entries = Array.from({ length: SLOTS_KEPT + 2 }, (_, i) => {
      const file = path.join(dir, `entry-${i}.ts`);
      fs.writeFileSync(file, `console.log(${i});\n`);
      return file;
    });
    for (const file of entries) await bundledEntry(file, { cacheDir });
    expect(fs.readdirSync(cacheDir)).toHaveLength(SLOTS_KEPT);
    // The newest entry is kept, and an entry used again is the newest.
    expect((await bundledEntry(entries.at(-1)!, { cacheDir })).fromCache).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a cache that cannot be written fails with one line naming it', async () => {
    const { dir, entry } = project();
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'a file where the cache folder would be');
    const cacheDir = path.join(blocked, 'app');
    await expect(bundledEntry(entry, { cacheDir })).rejects.toThrow(
      `cannot write the bundle cache ${cacheDir} (ENOTDIR): make it writable, or delete it`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
