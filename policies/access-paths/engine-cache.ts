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
 * keeps its newest {@link SHARD_LIMIT} entries (by when they were written: a hit does not renew
 * an entry), and the folder of an engine that is no longer installed is removed
 * ({@link pruneOtherEngines}). The engine is known by its packages' versions, not their files: an
 * engine patched in place under the same version (`npm link`, `patch-package`) needs
 * `OFFICE_ZONES_CACHE=off` or the folder removed.
 */
export interface EngineCache {
  /** Where the shards are. */
  readonly dir: string;
  /** The digest of the engine whose answers these are ({@link engineDigest}). */
  readonly engine: string;
  /** The key of each distinct packed request ({@link requestKeys} for this engine). */
  keys(policies: readonly unknown[], simulations: readonly unknown[]): string[];
  /** The answer kept for each key, or undefined; reads each shard once. */
  get(keys: readonly string[]): (EngineResult | undefined)[];
  /** Keeps answers (not errors); best effort: a folder that cannot be written keeps nothing. */
  put(entries: ReadonlyArray<readonly [string, EngineResult]>): void;
}

/**
 * The most entries one shard keeps: 256 shards hold up to 65,536 answers (about 28 MB at some
 * 420 bytes each), twice the distinct requests of 400 products with 10 capabilities.
 */
export const SHARD_LIMIT = 256;

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
 * The key of each distinct packed request: the digest of the engine and of the request with each
 * policy reference replaced by the digest of the document it names. A packed request names its
 * policies by their place in this synth's table, which moves when another request brings a new
 * document (adding a product); the document's digest does not, so a request whose every byte is
 * unchanged keeps its key whatever else the synth asks.
 *
 * @param policies the packed table of distinct policy documents (engine-runner.js `pack`)
 * @param simulations the packed distinct requests, each naming policies by index
 */
export function requestKeys(
  engine: string,
  policies: readonly unknown[],
  simulations: readonly unknown[],
): string[] {
  const digests = policies.map((p) => createHash('sha256').update(JSON.stringify(p)).digest('hex'));
  return simulations.map((s) =>
    createHash('sha256')
      .update(engine)
      .update('\n')
      .update(JSON.stringify(withPolicyDigests(s as PackedSimulation, digests)))
      .digest('hex'),
  );
}

/** The fields of a packed request that name policy documents by their place in the table. */
interface PackedSimulation {
  readonly identityPolicies?: readonly { readonly policy: number }[];
  readonly serviceControlPolicies?: readonly {
    readonly policies: readonly { readonly policy: number }[];
  }[];
  readonly resourceControlPolicies?: readonly {
    readonly policies: readonly { readonly policy: number }[];
  }[];
  readonly resourcePolicy?: number;
  readonly permissionBoundaryPolicies?: readonly { readonly policy: number }[];
}

/** A packed request with the digest of each document it names in place of its index. */
function withPolicyDigests(s: PackedSimulation, digests: readonly string[]): unknown {
  const named = (list: PackedSimulation['identityPolicies']) =>
    list?.map((p) => ({ ...p, policy: digests[p.policy] }));
  const orgs = (list: PackedSimulation['serviceControlPolicies']) =>
    list?.map((o) => ({ ...o, policies: named(o.policies) }));
  return {
    ...s,
    identityPolicies: named(s.identityPolicies),
    serviceControlPolicies: orgs(s.serviceControlPolicies),
    resourceControlPolicies: orgs(s.resourceControlPolicies),
    resourcePolicy: s.resourcePolicy === undefined ? undefined : digests[s.resourcePolicy],
    permissionBoundaryPolicies: named(s.permissionBoundaryPolicies),
  };
}

/**
 * The cache of an engine's answers in `dir`, or undefined when `OFFICE_ZONES_CACHE=off`.
 *
 * @param dir e.g. `node_modules/.cache/office-zones/access-paths/<engine digest>` (see
 *   {@link defaultEngineCacheDir})
 * @param engine the engine's digest ({@link engineDigest}), part of every key
 */
export function openEngineCache(dir: string, engine: string): EngineCache | undefined {
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
    engine,
    keys: (policies, simulations) => requestKeys(engine, policies, simulations),
    get(keys) {
      const shards = new Map<string, Record<string, EngineResult>>();
      return keys.map((key) => {
        const shard = key.slice(0, 2);
        let entries = shards.get(shard);
        if (!entries) shards.set(shard, (entries = read(shard)));
        const kept = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
        // Anything but an answer's shape (a hand-edited or foreign file) is a miss.
        return kept && typeof kept === 'object' && Array.isArray(kept.reasons) ? kept : undefined;
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
 * Removes the folders of other engines beside `dir` (`access-paths/<digest>`): a new engine,
 * IAM data release or runner makes a new folder, and the old one's answers are never read again.
 * Does nothing unless `dir`'s parent is named `access-paths`; best effort.
 */
export function pruneOtherEngines(dir: string): void {
  const parent = path.dirname(dir);
  if (path.basename(parent) !== 'access-paths') return;
  try {
    for (const name of fs.readdirSync(parent))
      if (/^[0-9a-f]{16}$/.test(name) && name !== path.basename(dir))
        fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  } catch {
    // nothing to prune, or not ours to remove
  }
}

/**
 * The cache folder of a project for an engine: `node_modules/.cache/office-zones/access-paths/
 * <first 16 hex digits of the engine digest>` in the nearest folder above `from` that has a
 * `node_modules` (see {@link projectCacheDir}).
 */
export function defaultEngineCacheDir(from: string, engine: string): string {
  return projectCacheDir(from, 'access-paths', engine.slice(0, 16));
}
