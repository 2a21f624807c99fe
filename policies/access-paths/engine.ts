import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
 * process per synth, which loads the engine once and answers on stdout.
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
    evaluate: (requests) => runInChild(entry, requests),
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

/** The request loop both the child process and an in-process engine run. */
const { runRequests } = require(RUNNER) as {
  runRequests: (engine: unknown, requests: readonly EngineRequest[]) => Promise<EngineResult[]>;
};

// The child loads the engine and the runner and answers on stdout: plain JavaScript, no loader.
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const { entry, runner, requests } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = await require(runner).runRequests(require(entry), requests);
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

function runInChild(entry: string, requests: readonly EngineRequest[]): EngineResult[] {
  if (requests.length === 0) return [];
  const child = spawnSync(process.execPath, ['-e', CHILD], {
    input: JSON.stringify({ entry, runner: RUNNER, requests }),
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
