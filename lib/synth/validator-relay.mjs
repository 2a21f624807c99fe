// A worker thread between the main thread and the validator's process (validator-process.mjs):
// the main thread waits synchronously (Atomics.wait) while this thread's event loop talks to the
// process. Answers go back on the port and signal[0] counts them; the process's end, and any
// failure of this thread, is answered too (an error), so that the main thread never waits for an
// answer that cannot come. signal[1] holds the process's id, for the main thread to end it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { workerData } from 'node:worker_threads';

const { script, pluginModule, nodeOptions, port, signal } = workerData;

function reply(message) {
  try {
    port.postMessage(message);
  } finally {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
}

const failed = (e) => reply({ error: `the validator's relay failed: ${String(e?.stack ?? e)}` });
process.on('uncaughtException', failed);

try {
  const child = spawn(process.execPath, [...nodeOptions, script, pluginModule], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  Atomics.store(signal, 1, child.pid ?? 0);
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
  const ended = (why) =>
    reply({ error: `the validator's process ended (${why}): ${stderr.trim()}` });
  child.on('error', (e) => ended(String(e)));
  child.on('exit', (code, sig) => {
    Atomics.store(signal, 1, 0); // its id may be another process's from now on
    ended(sig ?? `exit ${code}`);
  });

  port.on('message', (message) => {
    if (message === 'stop') {
      child.kill('SIGKILL');
      port.close();
      return;
    }
    child.stdin.write(`${JSON.stringify(message)}\n`);
  });
} catch (e) {
  failed(e);
}
