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
  let esbuild: typeof import('esbuild');
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error(
      `${entry} is not prebundled and esbuild is not installed: install esbuild (a development dependency of Office Zones) to bundle handlers from source`,
    );
  }
  const absWorkingDir = path.dirname(entry);
  const result = esbuild.buildSync({
    entryPoints: [entry],
    absWorkingDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    outfile: path.join(outdir, 'index.js'),
    minify: true,
    sourcemap: true,
    // The AWS SDK is bundled, not taken from the runtime: the function runs the SDK version it
    // was tested with, whatever the newest runtime ships.
    external: [],
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) => path.resolve(absWorkingDir, input));
}

/** What the cache keeps beside a bundle: the files it was made from and their digests. */
interface CacheRecord {
  readonly inputs: ReadonlyArray<readonly [file: string, sha256: string]>;
}

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Copies a handler's bundle into `outdir`, bundling it first only when the cache holds no bundle
 * of the same entry and options whose every source file is unchanged (always bundling when
 * `OFFICE_ZONES_CACHE=off`).
 *
 * @param cacheDir where bundles are kept, one folder per entry and options
 * @returns whether the bundle came from the cache
 */
export function cachedBundle(
  entry: string,
  outdir: string,
  options: HandlerBundleOptions & { readonly cacheDir: string },
): boolean {
  let esbuildVersion = 'none';
  try {
    esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  } catch {
    // bundleHandler says what is missing
  }
  const key = createHash('sha256')
    .update(JSON.stringify([path.resolve(entry), options.target, esbuildVersion]))
    .digest('hex')
    .slice(0, 32);
  const slot = path.join(options.cacheDir, key);
  const recordFile = path.join(slot, 'inputs.json');
  const bundleDir = path.join(slot, 'bundle');
  if (!cachesOff() && isFresh(recordFile)) {
    fs.cpSync(bundleDir, outdir, { recursive: true });
    return true;
  }
  // Bundle beside the slot and move it in whole: a concurrent synth never reads half a bundle.
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(options.cacheDir, `${key}.tmp-`));
  try {
    const inputs = bundleHandler(entry, path.join(staging, 'bundle'), options);
    const record: CacheRecord = { inputs: inputs.map((file) => [file, digest(file)] as const) };
    fs.writeFileSync(path.join(staging, 'inputs.json'), JSON.stringify(record));
    fs.cpSync(path.join(staging, 'bundle'), outdir, { recursive: true });
    fs.rmSync(slot, { recursive: true, force: true });
    try {
      fs.renameSync(staging, slot);
    } catch {
      // Another process filled the slot first; its bundle is as good as this one.
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
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
