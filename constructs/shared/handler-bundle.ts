import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachesOff, projectCacheDir } from './cache-dir';

/**
 * Lambda handlers as deployable code, without Docker and without the network.
 *
 * The npm package ships every handler bundled (`npm run build` writes `<name>/index.js` beside
 * `handlers/<name>.js`), so a consumer needs neither esbuild nor tsx. In this repository the
 * handlers are TypeScript sources: they are bundled with esbuild on first use and kept in a cache
 * keyed by every file the bundle was made from, so a synth bundles only handlers whose sources
 * changed. Nothing here imports aws-cdk-lib: the package build uses it too.
 */

/** How every handler is bundled: one CommonJS file for Node.js on Lambda, with its source map. */
export interface HandlerBundleOptions {
  /** esbuild's `target`, e.g. `node24` for the `nodejs24.x` runtime. */
  readonly target: string;
}

/** The folder holding a handler's prebundled `index.js`: `handlers/<name>/` beside `handlers/<name>.ts`. */
export function prebundledDir(entry: string): string {
  return path.join(path.dirname(entry), path.basename(entry, path.extname(entry)));
}

/** Whether the package ships this handler prebundled. */
export function isPrebundled(entry: string): boolean {
  return fs.existsSync(path.join(prebundledDir(entry), 'index.js'));
}

/**
 * Every Lambda handler of the constructs under `root`: a file directly in a `handlers/` folder
 * under `<root>/constructs/` that exports `handler`. Helpers beside them (imported by handlers)
 * export no `handler` and are bundled into the handlers that import them.
 *
 * @param root the repository (or package) root, which holds `constructs/`
 * @returns absolute paths, sorted; none when `<root>/constructs` does not exist
 */
export function handlerEntries(root: string): string[] {
  const dir = path.join(root, 'constructs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(^|\/)handlers\/[^/]+\.ts$/.test(file.split(path.sep).join('/')))
    .map((file) => path.join(dir, file))
    .filter((file) =>
      /^export (async function|function|const) handler\b/m.test(fs.readFileSync(file, 'utf8')),
    )
    .sort();
}

/** The esbuild target of a Lambda runtime name: `nodejs24.x` is `node24`. */
export function esbuildTarget(runtimeName: string): string {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (!match) throw new Error(`not a Node.js Lambda runtime: ${runtimeName}`);
  return `node${match[1]}`;
}

/**
 * Bundles a handler into `outdir` (`index.js` and `index.js.map`) with esbuild, and returns the
 * files the bundle was made from (absolute paths).
 */
export function bundleHandler(
  entry: string,
  outdir: string,
  options: HandlerBundleOptions,
): string[] {
  return bundleHandlers([{ entry, outdir }], options)[0];
}

/**
 * Bundles several handlers, each into its own `outdir` (`index.js` and `index.js.map`), in one
 * esbuild run: esbuild reads what they share (the AWS SDK) once, so four handlers take about 0.6 s
 * instead of 1.4 s, and each bundle is byte for byte the one {@link bundleHandler} makes of it
 * alone (test/constructs/shared/handler-bundle.test.ts).
 *
 * @returns for each bundle, in order, the files it was made from (absolute paths)
 * @throws Error when esbuild is not installed, or fails on a handler (its messages)
 */
export function bundleHandlers(
  bundles: readonly { readonly entry: string; readonly outdir: string }[],
  options: HandlerBundleOptions,
): string[][] {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error(
      `${bundles.map((b) => b.entry).join(', ')} ${bundles.length === 1 ? 'is' : 'are'} not prebundled and esbuild is not installed: install esbuild (a development dependency of Office Zones) to bundle handlers from source`,
    );
  }
  // One output folder for the run, each bundle named by its own folder under it: the same output
  // files, and the same paths in the source maps (relative to each output), as bundles made alone.
  const root = commonDir(bundles.map((b) => path.resolve(b.outdir)));
  const name = (outdir: string, file: string) =>
    path
      .relative(root, path.join(path.resolve(outdir), file))
      .split(path.sep)
      .join('/');
  fs.mkdirSync(root, { recursive: true }); // esbuild works from there
  const result = esbuild.buildSync({
    entryPoints: Object.fromEntries(bundles.map((b) => [name(b.outdir, 'index'), b.entry])),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    outdir: root,
    minify: true,
    sourcemap: true,
    // The AWS SDK is bundled, not taken from the runtime: the function runs the SDK version it
    // was tested with, whatever the newest runtime ships.
    external: [],
    metafile: true,
    logLevel: 'silent',
  });
  return bundles.map((b) => {
    const output = result.metafile.outputs[name(b.outdir, 'index.js')];
    if (!output) throw new Error(`esbuild wrote no bundle of ${b.entry}`);
    return Object.keys(output.inputs).map((input) => path.resolve(root, input));
  });
}

/** The deepest folder that holds every one of `dirs` (absolute paths). */
function commonDir(dirs: readonly string[]): string {
  let common = dirs[0];
  while (
    !dirs.every(
      (d) => d === common || d.startsWith(common.endsWith(path.sep) ? common : common + path.sep),
    )
  )
    common = path.dirname(common);
  return common;
}

/** What the cache keeps beside a bundle: the files it was made from and their digests. */
interface CacheRecord {
  readonly inputs: ReadonlyArray<readonly [file: string, sha256: string]>;
}

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Where the cache keeps the bundle of `entry` for these options: one folder per entry, target and esbuild version. */
function slotOf(entry: string, options: HandlerBundleOptions & { readonly cacheDir: string }) {
  let esbuildVersion = 'none';
  try {
    esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  } catch {
    // bundleHandlers says what is missing
  }
  const key = createHash('sha256')
    .update(JSON.stringify([path.resolve(entry), options.target, esbuildVersion]))
    .digest('hex')
    .slice(0, 32);
  const slot = path.join(options.cacheDir, key);
  return {
    key,
    slot,
    recordFile: path.join(slot, 'inputs.json'),
    bundleDir: path.join(slot, 'bundle'),
  };
}

/**
 * Bundles `batch` in one esbuild run, each into its cache slot (staged beside it and moved in
 * whole: a concurrent synth never reads half a bundle), and copies the first one's bundle to
 * `outdir`. The others are kept for their first request ({@link bundledAhead}).
 */
function bundleIntoSlots(
  batch: readonly ({ readonly entry: string } & ReturnType<typeof slotOf>)[],
  outdir: string,
  options: HandlerBundleOptions & { readonly cacheDir: string },
): void {
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const staging = batch.map((b) => fs.mkdtempSync(path.join(options.cacheDir, `${b.key}.tmp-`)));
  try {
    const inputs = bundleHandlers(
      batch.map((b, i) => ({ entry: b.entry, outdir: path.join(staging[i], 'bundle') })),
      options,
    );
    batch.forEach((b, i) => {
      const record: CacheRecord = {
        inputs: inputs[i].map((file) => [file, digest(file)] as const),
      };
      fs.writeFileSync(path.join(staging[i], 'inputs.json'), JSON.stringify(record));
      if (i === 0) fs.cpSync(path.join(staging[i], 'bundle'), outdir, { recursive: true });
      fs.rmSync(b.slot, { recursive: true, force: true });
      try {
        fs.renameSync(staging[i], b.slot);
        if (i > 0) bundledAhead.add(b.slot);
      } catch {
        // Another process filled the slot first; its bundle is as good as this one.
      }
    });
  } finally {
    for (const dir of staging) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The slots of the handlers bundled with another in this process, not yet asked for: each is
 * served once, to its first request, even when `OFFICE_ZONES_CACHE=off` (it was made by this
 * synth, not before it).
 */
const bundledAhead = new Set<string>();

/**
 * Copies a handler's bundle into `outdir`, bundling it first only when the cache holds no bundle
 * of the same entry and options whose every source file is unchanged (always bundling when
 * `OFFICE_ZONES_CACHE=off`).
 *
 * When it bundles, it bundles with it, in the same esbuild run, every one of `companions` whose
 * bundle the cache does not hold (with `OFFICE_ZONES_CACHE=off`: every one), and keeps them for
 * their first request, on the bet that the synth will ask for them (DEC-045). Should that run
 * fail (a companion that does not compile), the handler is bundled alone: only its own sources
 * can fail it.
 *
 * @param cacheDir where bundles are kept, one folder per entry and options
 * @param companions other handlers to bundle with this one when it must be bundled (default: none)
 * @returns whether the bundle came from the cache (or from a run that bundled it with another)
 */
export function cachedBundle(
  entry: string,
  outdir: string,
  options: HandlerBundleOptions & {
    readonly cacheDir: string;
    readonly companions?: readonly string[];
  },
): boolean {
  const own = slotOf(entry, options);
  const ahead = bundledAhead.delete(own.slot);
  if ((ahead || !cachesOff()) && isFresh(own.recordFile)) {
    fs.cpSync(own.bundleDir, outdir, { recursive: true });
    return true;
  }
  const others = [...new Set((options.companions ?? []).map((c) => path.resolve(c)))]
    .filter((c) => c !== path.resolve(entry))
    .map((c) => ({ entry: c, ...slotOf(c, options) }))
    .filter((c) => cachesOff() || !isFresh(c.recordFile));
  try {
    bundleIntoSlots([{ entry, ...own }, ...others], outdir, options);
  } catch (e) {
    // A companion that does not compile must not fail this handler, nor name itself in its error.
    if (others.length === 0) throw e;
    bundleIntoSlots([{ entry, ...own }], outdir, options);
  }
  return false;
}

function isFresh(recordFile: string): boolean {
  let record: CacheRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as CacheRecord;
  } catch {
    return false;
  }
  try {
    return record.inputs.length > 0 && record.inputs.every(([file, sha]) => digest(file) === sha);
  } catch {
    return false; // a source file was removed
  }
}

/**
 * The cache folder of a project: `node_modules/.cache/office-zones/handlers` in the nearest folder
 * above `from` that has a `node_modules` (see {@link projectCacheDir}).
 */
export function defaultCacheDir(from: string): string {
  return projectCacheDir(from, 'handlers');
}
