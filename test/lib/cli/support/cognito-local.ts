import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * cognito-local (npm) inside the test process, in a worker thread, on a random loopback port,
 * with its state in a temporary directory.
 *
 * cognito-local keeps its state in `.cognito/` under the current directory and resolves that path
 * on every request, so the process works from the temporary directory until `close()`. Jest runs
 * the tests of a file one after another and each file in its own worker process, so one server
 * per test file is safe.
 */
export interface CognitoLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The temporary directory that holds `.cognito/`. */
  readonly dir: string;
  close(): Promise<void>;
}

let running = false;

export async function startCognitoLocal(): Promise<CognitoLocal> {
  if (running) throw new Error('one cognito-local per test process');
  running = true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cognito-'));
  // cognito-local merges .cognito/config.json over its defaults: a random loopback port.
  fs.mkdirSync(path.join(dir, '.cognito'));
  fs.writeFileSync(
    path.join(dir, '.cognito', 'config.json'),
    JSON.stringify({ ServerConfig: { hostname: '127.0.0.1', port: 0 } }),
  );
  const home = process.cwd();
  process.chdir(dir);
  const worker = new Worker(path.join(__dirname, 'cognito-local-worker.js'), {
    // cognito-local still uses the AWS SDK v2, which prints an end-of-support notice.
    env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port?: number; error?: string }) =>
        m.port ? resolve(m.port) : reject(new Error(`cognito-local did not start: ${m.error}`)),
      );
      worker.once('error', reject);
    });
  } catch (e) {
    await worker.terminate();
    process.chdir(home);
    running = false;
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
      process.chdir(home);
      fs.rmSync(dir, { recursive: true, force: true });
      running = false;
    },
  };
}
