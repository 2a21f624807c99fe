import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What {@link layoutSvg} returns. */
export interface GraphvizLayout {
  /** The Graphviz version that laid the graphs out. */
  readonly version: string;
  /** One SVG document per DOT source, in order. */
  readonly svgs: readonly string[];
}

/**
 * Lays out DOT graphs as SVG with Graphviz's `dot` engine, compiled to WebAssembly
 * (`@hpcc-js/wasm-graphviz`): offline, no binary to install.
 *
 * The package is an ES module and loads its WebAssembly asynchronously; the report writers are
 * synchronous (they run after `app.synth()` in bin/app.ts and in library users' apps), so the
 * layout runs in a child Node.js process (`graphviz-layout.mjs`), all graphs in one call.
 *
 * @see https://graphviz.org/doc/info/lang.html
 */
export function layoutSvg(dots: readonly string[]): GraphvizLayout {
  const script = path.join(__dirname, 'graphviz-layout.mjs');
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(dots),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // Hundreds of consumers lay out in seconds; a layout that hangs must not hang synth.
    timeout: 300_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`Graphviz could not lay out the architecture picture: ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as GraphvizLayout;
}
