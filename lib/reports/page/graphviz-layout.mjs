// Lays out DOT graphs with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, Apache-2.0).
// The package is an ES module whose WebAssembly loads asynchronously, while the report writers are
// synchronous (see graphviz.ts), so this runs apart from them, in one of two ways:
// - as a child process: reads a JSON array of DOT sources on stdin and writes
//   {"version", "svgs"} on stdout;
// - in a worker thread started ahead of the reports (layoutSvgAhead, whose worker imports this):
//   takes the sources from its workerData, posts {"version", "svgs"} or {"error"} on its port,
//   and then counts signal[0] up.
import { Buffer } from 'node:buffer';
import { isMainThread, workerData } from 'node:worker_threads';

async function layout(sources) {
  // Imported here, so that a worker whose Graphviz cannot load answers with the error.
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return { version: graphviz.version(), svgs: sources.map((dot) => graphviz.dot(dot, 'svg')) };
}

if (!isMainThread && workerData?.officeZonesLayout) {
  const { sources, port, signal } = workerData.officeZonesLayout;
  let answer;
  try {
    answer = await layout(sources);
  } catch (e) {
    answer = { error: String(e?.message ?? e) };
  }
  port.postMessage(answer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
} else {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const sources = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  process.stdout.write(JSON.stringify(await layout(sources)));
}
