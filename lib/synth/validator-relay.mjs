// A worker thread between the main thread and the validator's process (validator-process.mjs):
// the main thread waits synchronously (Atomics.wait) while this thread's event loop talks to the
// process. Answers go back on the port and the shared signal counts them; the process's end is
// answered too (an error), so that the main thread never waits for an answer that cannot come.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { workerData } from 'node:worker_threads';

const { script, pluginModule, nodeOptions, port, signal } = workerData;

function reply(message) {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const child = spawn(process.execPath, [...nodeOptions, script, pluginModule], {
  stdio: ['pipe', 'pipe', 'pipe'],
});
let stderr = '';
child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
child.stdin.on('error', () => {}); // the process ended: the exit handler answers
createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
  try {
    reply(JSON.parse(line));
  } catch (e) {
    reply({ error: `the validator's process wrote what is not JSON: ${String(e)}` });
  }
});
const ended = (why) => reply({ error: `the validator's process ended (${why}): ${stderr.trim()}` });
child.on('error', (e) => ended(String(e)));
child.on('exit', (code, sig) => ended(sig ?? `exit ${code}`));

port.on('message', (message) => {
  if (message === 'stop') {
    child.kill();
    port.close();
    return;
  }
  child.stdin.write(`${JSON.stringify(message)}\n`);
});
