import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { cachesOff, projectCacheDir } from '../../../constructs/shared/cache-dir';

/** What {@link layoutSvg} returns. */
export interface GraphvizLayout {
  /** The Graphviz version that laid the graphs out. */
  readonly version: string;
  /** One SVG document per DOT source, in order. */
  readonly svgs: readonly string[];
}

/** The script that lays out, as a child process or a worker thread. */
const LAYOUT_SCRIPT = path.join(__dirname, 'graphviz-layout.mjs');

/** Where layouts are kept by default: the working directory's project cache, none when caches are off. */
function defaultLayoutCache(): string | false {
  return cachesOff() ? false : projectCacheDir(process.cwd(), 'graphviz');
}

/**
 * Lays out DOT graphs as SVG with Graphviz's `dot` engine, compiled to WebAssembly
 * (`@hpcc-js/wasm-graphviz`): offline, no binary to install.
 *
 * The package is an ES module and loads its WebAssembly asynchronously; the report writers are
 * synchronous (they run after `app.synth()` in bin/app.ts and in library users' apps), so the
 * layout runs in a child Node.js process (`graphviz-layout.mjs`), all graphs in one call.
 *
 * A layout is decided by the DOT sources and the Graphviz build alone, so it is kept in
 * `node_modules/.cache/office-zones/graphviz/` under the SHA-256 digest of the sources, the
 * layout script and the installed package (DEC-040): a synth whose pictures did not change reads
 * the SVGs instead of starting Graphviz. The folder keeps the newest {@link LAYOUTS_KEPT} layouts;
 * one that cannot be read or written is laid out again.
 *
 * @param cacheDir where layouts are kept; `false` lays out every time
 *   (default: {@link projectCacheDir} of the working directory, or `false` when
 *   `OFFICE_ZONES_CACHE=off`)
 * @throws Error when Graphviz fails on a source (its message) or takes over five minutes
 * @see https://graphviz.org/doc/info/lang.html
 */
export function layoutSvg(
  dots: readonly string[],
  cacheDir: string | false = defaultLayoutCache(),
): GraphvizLayout {
  const key = layoutKey(LAYOUT_SCRIPT, dots);
  const file = cacheDir && path.join(cacheDir, `${key}.json`);
  if (file) {
    try {
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<GraphvizLayout> | null;
      // Anything but a layout of these very sources (a hand-edited file) is laid out again.
      if (
        typeof kept?.version === 'string' &&
        Array.isArray(kept.svgs) &&
        kept.svgs.length === dots.length &&
        kept.svgs.every((svg) => typeof svg === 'string')
      ) {
        const now = new Date();
        fs.utimesSync(file, now, now); // the newest kept are the last used
        return kept as GraphvizLayout;
      }
    } catch {
      // not laid out before, or cut short: lay it out
    }
  }
  const layout = takeAhead(key) ?? runGraphviz(LAYOUT_SCRIPT, dots);
  if (file && cacheDir) keepLayout(cacheDir, file, layout);
  return layout;
}

/**
 * The longest a layout may take, in a child process or started ahead: hundreds of consumers lay
 * out in seconds; a layout that hangs must not hang synth.
 */
const LAYOUT_TIMEOUT_MS = 300_000;

/** Layouts started by {@link layoutSvgAhead} and not yet taken, by {@link layoutKey}. */
const ahead = new Map<string, { signal: Int32Array; port: MessagePort; worker: Worker }>();

/**
 * Starts laying out `dots` now, in a worker thread, for {@link layoutSvg} to take when it is asked
 * for the same sources: a synth starts the architecture pictures (drawn from the blueprint alone)
 * before it synthesizes, so that Graphviz works while the templates are made and checked instead
 * of after them (DEC-046). Nothing starts when the layout is kept (see {@link layoutSvg}) or
 * already started. A worker that fails or is never asked for costs nothing but its time: the
 * layout is then made as if nothing had started, with the same errors.
 *
 * @param cacheDir as {@link layoutSvg}'s
 * @param script the script the worker runs (default: `graphviz-layout.mjs`; tests give failing ones)
 * @returns whether a worker started
 */
export function layoutSvgAhead(
  dots: readonly string[],
  cacheDir: string | false = defaultLayoutCache(),
  script = LAYOUT_SCRIPT,
): boolean {
  const key = layoutKey(LAYOUT_SCRIPT, dots);
  if (ahead.has(key) || (cacheDir && fs.existsSync(path.join(cacheDir, `${key}.json`))))
    return false;
  try {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(AHEAD_WORKER, {
      eval: true,
      workerData: { officeZonesLayout: { script, sources: [...dots], port: port2, signal } },
      transferList: [port2],
    });
    worker.on('error', () => {
      // its answer says so, or layoutSvg's wait runs out and it lays out itself
    });
    worker.unref();
    port1.unref();
    ahead.set(key, { signal, port: port1, worker });
    return true;
  } catch {
    return false;
  }
}

/**
 * The worker of {@link layoutSvgAhead}: imports the layout script, posts what its `layout` answers
 * and counts signal[0] up, once. Should the script fail, not load, or end the worker before it
 * answers, the answer is the error, so that {@link layoutSvg}, which waits without an event loop,
 * never waits for an answer that cannot come.
 */
const AHEAD_WORKER = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { script, sources, port, signal } = workerData.officeZonesLayout;
const answer = (message) => {
  if (Atomics.load(signal, 0) > 0) return; // answered already
  try {
    port.postMessage(message);
  } finally {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
};
const fail = (e) => answer({ error: String((e && e.message) || e) });
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.on('exit', (code) => fail('the layout worker ended (exit ' + code + ') without an answer'));
import(pathToFileURL(script).href)
  .then((module) => module.layout(sources))
  .then(answer, fail);
`;

/** The layout started ahead for `key`, waited for; undefined when none started or it failed. */
function takeAhead(key: string): GraphvizLayout | undefined {
  const started = ahead.get(key);
  if (!started) return undefined;
  ahead.delete(key);
  try {
    if (Atomics.wait(started.signal, 0, 0, LAYOUT_TIMEOUT_MS) === 'timed-out') return undefined;
    const answer = receiveMessageOnPort(started.port)?.message as
      Partial<GraphvizLayout & { error: string }> | undefined;
    return typeof answer?.version === 'string' && Array.isArray(answer.svgs)
      ? { version: answer.version, svgs: answer.svgs }
      : undefined;
  } finally {
    void started.worker.terminate();
  }
}

/** The most layouts the cache folder keeps (the newest by modification time). */
export const LAYOUTS_KEPT = 32;

function runGraphviz(script: string, dots: readonly string[]): GraphvizLayout {
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(dots),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: LAYOUT_TIMEOUT_MS,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`Graphviz could not lay out the architecture picture: ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as GraphvizLayout;
}

/** The digest of what decides a layout: the sources, the layout script and the Graphviz package. */
function layoutKey(script: string, dots: readonly string[]): string {
  const hash = createHash('sha256').update(fs.readFileSync(script)).update(JSON.stringify(dots));
  const pkg = graphvizPackageJson(script);
  hash.update(pkg ? fs.readFileSync(pkg) : 'no package.json');
  return hash.digest('hex');
}

/** `@hpcc-js/wasm-graphviz/package.json` as Node.js resolves the package from the script. */
function graphvizPackageJson(script: string): string | undefined {
  for (let dir = path.dirname(script); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', '@hpcc-js', 'wasm-graphviz', 'package.json');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Writes a layout through a rename and keeps the newest {@link LAYOUTS_KEPT}; best effort. */
function keepLayout(dir: string, file: string, layout: GraphvizLayout): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(layout));
    fs.renameSync(tmp, file);
    const kept = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of kept.slice(LAYOUTS_KEPT)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // A read-only or full disk: the next synth lays out again.
  }
}
