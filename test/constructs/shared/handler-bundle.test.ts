import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bundleHandler,
  bundleHandlers,
  cachedBundle,
  defaultCacheDir,
  esbuildTarget,
  isPrebundled,
  prebundledDir,
} from '../../../constructs/shared/handler-bundle';
import { errorOf, withCachesOff } from '../../helpers';

describe('handler bundles', () => {
  let dir: string;
  let entry: string;
  let cacheDir: string;
  const options = () => ({ target: 'node24', cacheDir });
  const read = (out: string) => fs.readFileSync(path.join(out, 'index.js'), 'utf8');
  const out = (name: string) => path.join(dir, 'out', name);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-bundle-'));
    fs.mkdirSync(path.join(dir, 'handlers'));
    entry = path.join(dir, 'handlers', 'greet.ts');
    fs.writeFileSync(
      entry,
      "import { word } from './word';\nexport const handler = async () => `${word}, world`;\n",
    );
    fs.writeFileSync(path.join(dir, 'handlers', 'word.ts'), "export const word = 'hello';\n");
    cacheDir = path.join(dir, 'cache');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('bundles a handler and its imports into one CommonJS index.js with a source map', () => {
    const inputs = bundleHandler(entry, out('a'), { target: 'node24' });
    expect(inputs.sort()).toEqual([entry, path.join(dir, 'handlers', 'word.ts')]);
    expect(read(out('a'))).toContain('hello');
    expect(fs.existsSync(path.join(out('a'), 'index.js.map'))).toBe(true);
    const bundled = require(path.join(out('a'), 'index.js'));
    return expect(bundled.handler()).resolves.toBe('hello, world');
  });

  /** A second handler beside greet.ts, sharing its import. */
  const addShout = () => {
    const shout = path.join(dir, 'handlers', 'shout.ts');
    fs.writeFileSync(
      shout,
      "import { word } from './word';\nexport const handler = async () => word.toUpperCase();\n",
    );
    return shout;
  };
  const files = (out: string) =>
    ['index.js', 'index.js.map'].map((f) => fs.readFileSync(path.join(out, f)));

  test('bundles several handlers in one run, each byte for byte as it is bundled alone', () => {
    const shout = addShout();
    const inputs = bundleHandlers(
      [
        { entry, outdir: out('together/greet') },
        { entry: shout, outdir: out('together/shout') },
      ],
      { target: 'node24' },
    );
    const word = path.join(dir, 'handlers', 'word.ts');
    expect(inputs.map((i) => i.sort())).toEqual([
      [entry, word],
      [shout, word],
    ]);
    bundleHandler(entry, out('alone/greet'), { target: 'node24' });
    bundleHandler(shout, out('alone/shout'), { target: 'node24' });
    expect(files(out('together/greet'))).toEqual(files(out('alone/greet')));
    expect(files(out('together/shout'))).toEqual(files(out('alone/shout')));
  });

  test('bundles the companions the cache lacks with a handler it must bundle, and serves them to their first request even when OFFICE_ZONES_CACHE=off', () => {
    const shout = addShout();
    const withCompanions = () => ({ ...options(), companions: [entry, shout] });
    expect(cachedBundle(entry, out('a'), withCompanions())).toBe(false);
    expect(cachedBundle(shout, out('b'), options())).toBe(true);
    // What a cache of its own (as deep in the folder tree: the source map's paths are relative) gives.
    cachedBundle(shout, out('alone'), { ...options(), cacheDir: path.join(dir, 'other') });
    expect(files(out('b'))).toEqual(files(out('alone')));

    // Caches off: the companion bundled in this run serves its first request only.
    withCachesOff(() => {
      expect(cachedBundle(entry, out('c'), withCompanions())).toBe(false);
      expect(cachedBundle(shout, out('d'), options())).toBe(true);
      expect(cachedBundle(shout, out('e'), options())).toBe(false);
    });
    // A companion the cache holds is not bundled again.
    fs.writeFileSync(path.join(dir, 'handlers', 'greet.ts'), 'export const handler = 1;\n');
    const records = () =>
      fs
        .readdirSync(cacheDir)
        .map((slot) => fs.statSync(path.join(cacheDir, slot, 'inputs.json')).mtimeMs);
    const before = records();
    expect(cachedBundle(entry, out('f'), withCompanions())).toBe(false);
    expect(records().filter((t) => !before.includes(t))).toHaveLength(1);
    expect(cachedBundle(shout, out('g'), options())).toBe(true);
    expect(files(out('g'))).toEqual(files(out('alone')));
  });

  test('a companion that does not compile fails nothing but its own bundle', () => {
    const shout = addShout();
    fs.writeFileSync(shout, 'export const handler = ;\n');
    expect(cachedBundle(entry, out('a'), { ...options(), companions: [entry, shout] })).toBe(false);
    expect(read(out('a'))).toContain('hello');
    const error = errorOf(() => cachedBundle(shout, out('b'), options()));
    expect(error).toContain('shout.ts');
    expect(error).not.toContain('greet.ts');
  });

  test('bundles once and then serves the cache while no source changed', () => {
    expect(cachedBundle(entry, out('a'), options())).toBe(false);
    expect(cachedBundle(entry, out('b'), options())).toBe(true);
    expect(read(out('b'))).toBe(read(out('a')));
  });

  test('bundles every time when OFFICE_ZONES_CACHE=off', () => {
    cachedBundle(entry, out('a'), options());
    withCachesOff(() => expect(cachedBundle(entry, out('b'), options())).toBe(false));
    expect(cachedBundle(entry, out('c'), options())).toBe(true);
  });

  test('bundles again when a file the handler imports changed', () => {
    cachedBundle(entry, out('a'), options());
    fs.writeFileSync(path.join(dir, 'handlers', 'word.ts'), "export const word = 'goodbye';\n");
    expect(cachedBundle(entry, out('b'), options())).toBe(false);
    expect(read(out('b'))).toContain('goodbye');
    expect(cachedBundle(entry, out('c'), options())).toBe(true);
  });

  test('bundles again when the cache record is damaged', () => {
    cachedBundle(entry, out('a'), options());
    const [slot] = fs.readdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, slot!, 'inputs.json'), '{');
    expect(cachedBundle(entry, out('b'), options())).toBe(false);
  });

  test('keeps one bundle per target', () => {
    cachedBundle(entry, out('a'), options());
    expect(cachedBundle(entry, out('b'), { ...options(), target: 'node22' })).toBe(false);
    expect(fs.readdirSync(cacheDir)).toHaveLength(2);
  });

  test('finds a prebundled handler in the folder named after it', () => {
    expect(prebundledDir(entry)).toBe(path.join(dir, 'handlers', 'greet'));
    expect(isPrebundled(entry)).toBe(false);
    bundleHandler(entry, prebundledDir(entry), { target: 'node24' });
    fs.rmSync(entry);
    expect(isPrebundled(entry)).toBe(true);
  });

  test('keeps its cache under the nearest node_modules', () => {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    expect(defaultCacheDir(path.join(dir, 'handlers'))).toBe(
      path.join(dir, 'node_modules', '.cache', 'office-zones', 'handlers'),
    );
  });

  test('fails when the runtime is not a Node.js runtime', () => {
    expect(esbuildTarget('nodejs24.x')).toBe('node24');
    expect(errorOf(() => esbuildTarget('python3.13'))).toBe(
      'not a Node.js Lambda runtime: python3.13',
    );
  });
});
