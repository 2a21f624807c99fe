// Lays out DOT graphs with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, Apache-2.0).
// Reads a JSON array of DOT sources on stdin and writes a JSON array of SVG documents on stdout.
// It runs as a child process because the package is an ES module whose WebAssembly loads
// asynchronously, while the report writers are synchronous (see graphviz.ts).
import { Buffer } from 'node:buffer';
import { Graphviz } from '@hpcc-js/wasm-graphviz';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const sources = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const graphviz = await Graphviz.load();
const svgs = sources.map((dot) => graphviz.dot(dot, 'svg'));
process.stdout.write(JSON.stringify({ version: graphviz.version(), svgs }));
