import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachesOff } from '../../constructs/shared/cache-dir';
import {
  defaultEngineCacheDir,
  EngineCache,
  engineDigest,
  openEngineCache,
  pruneOtherEngines,
} from './engine-cache';

/** The engine's package: AGPL-3.0-or-later, so Office Zones loads it only when it is installed. */
export const ENGINE_PACKAGE = '@cloud-copilot/iam-simulate';

/** The one line a synth prints when the engine is not installed. */
export const ENGINE_INSTALL_HINT = `access paths not evaluated: install ${ENGINE_PACKAGE} (AGPL-3.0-or-later) to evaluate them, e.g. \`npm install --save-dev ${ENGINE_PACKAGE}\``;

/** One request for the engine, in its own `Simulation` shape. */
export interface EngineRequest {
  readonly simulation: unknown;
}

/** A statement that decided a request, as the engine reports it. */
export interface EngineReason {
  readonly policyType: string;
  readonly policyIdentifier?: string;
  readonly orgIdentifier?: string;
  readonly statementId?: string;
  readonly statementIndex?: number;
  readonly denialType?: 'Implicit' | 'Explicit';
}

export interface EngineResult {
  readonly decision?: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
  readonly reasons: readonly EngineReason[];
  /** The engine refused the request (an invalid policy, action or ARN): its message. */
  readonly error?: string;
  /** Context keys of the request the engine left out of the evaluation. */
  readonly ignoredContextKeys?: readonly string[];
  /**
   * Context keys the engine's validated entry point drops although the action documents them
   * (`kms:EncryptionContext:<key>`), which the runner had the engine evaluate through its
   * `runUnsafeSimulation` instead; that entry point reports no deciding statements.
   */
  readonly restoredContextKeys?: readonly string[];
}

/** An IAM engine the evaluation can run; synchronous, because aws-cdk-lib's validation plugins are. */
export interface AccessEngine {
  readonly name: string;
  readonly version: string;
  evaluate(requests: readonly EngineRequest[]): EngineResult[];
}

/** Finds the engine, or says it is not installed (undefined). Tests inject their own. */
export type EngineLoader = () => AccessEngine | undefined;

/**
 * Loads `@cloud-copilot/iam-simulate` if it is installed, without importing it: Office Zones is
 * Apache-2.0 and the engine AGPL-3.0, so it is an optional peer dependency (DEC-010). The engine's
 * API is asynchronous and a validation plugin is not, so the requests run in one child Node.js
 * process per synth, which loads the engine once and answers on stdout; with more than a few
 * hundred distinct requests, the child splits them over up to four worker threads, each with
 * the engine loaded once.
 */
export const loadIamSimulate: EngineLoader = () => {
  let entry: string;
  try {
    entry = require.resolve(ENGINE_PACKAGE);
  } catch {
    return undefined;
  }
  const version = packageVersion(entry) ?? 'unknown';
  return {
    name: ENGINE_PACKAGE,
    version,
    evaluate: (requests) => {
      const digest = engineDigest(entry, RUNNER);
      const dir = defaultEngineCacheDir(process.cwd(), digest);
      if (!cachesOff()) pruneOtherEngines(dir);
      return runInChild(entry, requests, openEngineCache(dir, digest));
    },
  };
};

function packageVersion(entry: string): string | undefined {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (pkg.name === ENGINE_PACKAGE) return String(pkg.version);
  }
  return undefined;
}

const RUNNER = path.join(__dirname, 'engine-runner.js');

/** Requests as a table of distinct policy documents and the distinct requests (engine-runner.js). */
interface PackedRequests {
  readonly policies: readonly unknown[];
  readonly simulations: readonly unknown[];
  /** Where each request's answer is among the distinct requests' answers. */
  readonly index: readonly number[];
}

/** The request loop both the child process and an in-process engine run. */
const { runRequests, pack } = require(RUNNER) as {
  runRequests: (engine: unknown, requests: readonly EngineRequest[]) => Promise<EngineResult[]>;
  pack: (requests: readonly EngineRequest[]) => PackedRequests;
};

// The child loads the runner, which loads the engine (in worker threads when there are many
// requests), and answers each distinct request on stdout: plain JavaScript, no loader.
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const { entry, runner, packed } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = await require(runner).runPacked(entry, packed);
  process.stdout.write(JSON.stringify(out));
});
`;

/** An engine that answers asynchronously, in this process (for callers that can await). */
export interface AsyncAccessEngine {
  readonly name: string;
  readonly version: string;
  evaluate(requests: readonly EngineRequest[]): Promise<EngineResult[]>;
}

/** `@cloud-copilot/iam-simulate` in this process, if it is installed. */
export function loadIamSimulateInProcess(): AsyncAccessEngine | undefined {
  let entry: string;
  try {
    entry = require.resolve(ENGINE_PACKAGE);
  } catch {
    return undefined;
  }
  return {
    name: ENGINE_PACKAGE,
    version: packageVersion(entry) ?? 'unknown',
    evaluate: (requests) => runRequests(require(entry), requests),
  };
}

/**
 * The answer to each request: from the cache when it holds the answer to that very request
 * (engine-cache.ts, DEC-039), else from the engine in a child process.
 */
export function runInChild(
  entry: string,
  requests: readonly EngineRequest[],
  cache?: EngineCache,
): EngineResult[] {
  if (requests.length === 0) return [];
  // Each policy document and each distinct request crosses the process boundary once: the
  // requests of a large blueprint repeat a few hundred documents some ten thousand times.
  const { index, policies, simulations } = pack(requests);
  const keys = cache ? cache.keys(policies, simulations) : [];
  const kept = cache ? cache.get(keys) : simulations.map(() => undefined);
  const missing = simulations.flatMap((_, i) => (kept[i] === undefined ? [i] : []));
  const fresh = askEngine(entry, {
    policies,
    simulations: missing.map((i) => simulations[i]),
  });
  cache?.put(missing.map((i, j) => [keys[i], fresh[j]] as const));
  const answers = [...kept];
  missing.forEach((i, j) => (answers[i] = fresh[j]));
  return index.map((i) => answers[i] as EngineResult);
}

/** The engine's answers to packed distinct requests, from one child process. */
function askEngine(entry: string, packed: Omit<PackedRequests, 'index'>): EngineResult[] {
  if (packed.simulations.length === 0) return [];
  const child = spawnSync(process.execPath, ['-e', CHILD], {
    input: JSON.stringify({ entry, runner: RUNNER, packed }),
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
    // The parent may run under a TypeScript loader; the child needs none.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (child.status !== 0) {
    throw new Error(
      `${ENGINE_PACKAGE} failed (exit ${child.status}): ${(child.stderr || String(child.error ?? '')).trim().split('\n')[0]}`,
    );
  }
  return JSON.parse(child.stdout) as EngineResult[];
}
