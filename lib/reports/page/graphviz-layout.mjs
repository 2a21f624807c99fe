// Lays out DOT graphs with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, Apache-2.0).
// The package is an ES module whose WebAssembly loads asynchronously, while the report writers are
// synchronous (see graphviz.ts), so this runs apart from them, in one of two ways:
// - as a child process: reads a JSON array of DOT sources on stdin and writes
//   {"version", "svgs"} on stdout;
// - in a worker thread started ahead of the reports (layoutSvgAhead), whose worker imports this
//   module and calls its `layout`.
import { Buffer } from 'node:buffer';
import { isMainThread } from 'node:worker_threads';

/** The SVG of each DOT source, and the Graphviz version that laid them out. */
export async function layout(sources) {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return { version: graphviz.version(), svgs: sources.map((dot) => graphviz.dot(dot, 'svg')) };
}

if (isMainThread) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const sources = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  process.stdout.write(JSON.stringify(await layout(sources)));
}
