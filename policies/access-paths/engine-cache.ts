import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachesOff, projectCacheDir } from '../../constructs/shared/cache-dir';
import type { EngineResult } from './engine';

/**
 * The engine's answers kept between synths, keyed by everything that decides them (DEC-039).
 *
 * An answer of `@cloud-copilot/iam-simulate` is a function of its request alone: the request's
 * principal, action, resource and context, every policy document it is evaluated over, and the
 * code that evaluates it (the engine, the IAM data it reads, and `engine-runner.js`). The key of
 * an answer is a SHA-256 digest of all of these, so a request answered once is answered from the
 * cache on the next synth only when not one byte of what decides it has changed: adding a product
 * evaluates the new product's requests and reads the rest. Answers the engine gave as errors are
 * never kept.
 *
 * The cache is a folder of 256 shard files (a JSON object each, by the first two hex digits of the
 * key), written whole through a temporary file and a rename, so that concurrent synths (test
 * workers, two terminals) can only lose each other's new entries, never corrupt a shard. A shard
 * keeps its newest {@link SHARD_LIMIT} entries.
 */
export interface EngineCache {
  /** Where the shards are. */
  readonly dir: string;
  /** The answer kept for each key, or undefined; reads each shard once. */
  get(keys: readonly string[]): (EngineResult | undefined)[];
  /** Keeps answers (not errors); best effort: a folder that cannot be written keeps nothing. */
  put(entries: ReadonlyArray<readonly [string, EngineResult]>): void;
}

/** The most entries one shard keeps: 256 shards hold up to 131,072 answers (about 40 MB). */
export const SHARD_LIMIT = 512;

/**
 * The digest of the code that answers requests: `engine-runner.js` and the name and version of
 * every `@cloud-copilot/*` package the engine resolves (the engine, its IAM data, its policy
 * parser), found by walking up from the engine's entry file.
 */
export function engineDigest(entry: string, runner: string): string {
  const hash = createHash('sha256').update(fs.readFileSync(runner));
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const scope = path.join(dir, 'node_modules', '@cloud-copilot');
    if (!fs.existsSync(scope)) continue;
    for (const name of fs.readdirSync(scope).sort()) {
      const file = path.join(scope, name, 'package.json');
      if (!fs.existsSync(file)) continue;
      hash.update(`\n${name}@${JSON.parse(fs.readFileSync(file, 'utf8')).version}`);
    }
  }
  return hash.digest('hex');
}

/**
 * The key of each distinct packed request: the digest of the engine, the request with its policy
 * references, and the digests of the policy documents those references name, in order.
 *
 * @param policies the packed table of distinct policy documents (engine-runner.js `pack`)
 * @param simulations the packed distinct requests, each naming policies by index
 */
export function requestKeys(
  engine: string,
  policies: readonly unknown[],
  simulations: readonly unknown[],
): string[] {
  const policyDigests = policies.map((p) =>
    createHash('sha256').update(JSON.stringify(p)).digest('hex'),
  );
  return simulations.map((s) => {
    const hash = createHash('sha256').update(engine).update('\n').update(JSON.stringify(s));
    for (const i of policyIndices(s)) hash.update(`\n${policyDigests[i]}`);
    return hash.digest('hex');
  });
}

/** The policy indices a packed request names, in a fixed order. */
function policyIndices(simulation: unknown): number[] {
  const s = simulation as {
    identityPolicies?: { policy: number }[];
    serviceControlPolicies?: { policies: { policy: number }[] }[];
    resourceControlPolicies?: { policies: { policy: number }[] }[];
    resourcePolicy?: number;
    permissionBoundaryPolicies?: { policy: number }[];
  };
  return [
    ...(s.identityPolicies ?? []).map((p) => p.policy),
    ...(s.serviceControlPolicies ?? []).flatMap((o) => o.policies.map((p) => p.policy)),
    ...(s.resourceControlPolicies ?? []).flatMap((o) => o.policies.map((p) => p.policy)),
    ...(s.resourcePolicy !== undefined ? [s.resourcePolicy] : []),
    ...(s.permissionBoundaryPolicies ?? []).map((p) => p.policy),
  ];
}

/**
 * The cache in `dir`, or undefined when `OFFICE_ZONES_CACHE=off`.
 *
 * @param dir e.g. `node_modules/.cache/office-zones/access-paths/<engine digest>` (see
 *   {@link defaultEngineCacheDir})
 */
export function openEngineCache(dir: string): EngineCache | undefined {
  if (cachesOff()) return undefined;
  const shardFile = (shard: string) => path.join(dir, `${shard}.json`);
  const read = (shard: string): Record<string, EngineResult> => {
    try {
      const parsed = JSON.parse(fs.readFileSync(shardFile(shard), 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
    } catch {
      return {}; // absent, or cut short by a crash: a miss
    }
  };
  return {
    dir,
    get(keys) {
      const shards = new Map<string, Record<string, EngineResult>>();
      return keys.map((key) => {
        const shard = key.slice(0, 2);
        let entries = shards.get(shard);
        if (!entries) shards.set(shard, (entries = read(shard)));
        return Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
      });
    },
    put(entries) {
      const byShard = new Map<string, [string, EngineResult][]>();
      for (const [key, result] of entries) {
        if (result.error !== undefined) continue;
        const shard = key.slice(0, 2);
        byShard.set(shard, [...(byShard.get(shard) ?? []), [key, result]]);
      }
      if (byShard.size === 0) return;
      try {
        fs.mkdirSync(dir, { recursive: true });
        for (const [shard, fresh] of byShard) {
          const keys = new Set(fresh.map(([k]) => k));
          const kept = Object.entries(read(shard)).filter(([k]) => !keys.has(k));
          const all = [...kept, ...fresh].slice(-SHARD_LIMIT);
          const tmp = `${shardFile(shard)}.${process.pid}.${Math.random().toString(36).slice(2)}`;
          fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(all)));
          fs.renameSync(tmp, shardFile(shard));
        }
      } catch {
        // A read-only or full disk: the synth goes on, and the next one asks the engine again.
      }
    },
  };
}

/**
 * The cache folder of a project for an engine: `node_modules/.cache/office-zones/access-paths/
 * <first 16 hex digits of the engine digest>` in the nearest folder above `from` that has a
 * `node_modules` (see {@link projectCacheDir}).
 */
export function defaultEngineCacheDir(from: string, engine: string): string {
  return projectCacheDir(from, 'access-paths', engine.slice(0, 16));
}
