import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A cache folder of the project that `from` is in: `node_modules/.cache/office-zones/<segments>`
 * in the nearest folder above `from` that has a `node_modules` (the convention of babel, esbuild
 * loaders and find-cache-dir), else `.cache/office-zones/<segments>` in `from`.
 *
 * Office Zones keeps there what is expensive to make and decided by its inputs alone: handler
 * bundles (DEC-029), the app's bundle (DEC-041), the IAM engine's answers (DEC-039), the
 * CloudFormation validator's verdicts (DEC-043) and Graphviz layouts (DEC-040).
 */
export function projectCacheDir(from: string, ...segments: string[]): string {
  const leaf = path.join('office-zones', ...segments);
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules')))
      return path.join(dir, 'node_modules', '.cache', leaf);
    if (path.dirname(dir) === dir) return path.join(path.resolve(from), '.cache', leaf);
  }
}

/** The environment variable that turns every cache of Office Zones off when set to `off`. */
export const CACHE_SWITCH = 'OFFICE_ZONES_CACHE';

/**
 * Whether `OFFICE_ZONES_CACHE=off`: the app and every handler are bundled, every template is
 * validated, every access path asked of the engine and every picture laid out, as on a machine
 * that never synthesized (a cold synth, what `scripts/bench.sh` measures as cold).
 */
export function cachesOff(): boolean {
  return process.env[CACHE_SWITCH] === 'off';
}
