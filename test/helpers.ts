import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import {
  Blueprint,
  BlueprintError,
  BlueprintInput,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../lib/blueprint';
import { buildOfficeZones, OfficeZonesStacks } from '../lib/stacks/office-zones';

/** The feature flags of cdk.json, so tests build what `cdk synth` builds. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app with the project's feature flags and no validation plugins. Lambda code is not bundled
 * (an empty `aws:cdk:bundling-stacks`): assertion tests read templates, and the gate test and
 * `cdk synth` bundle for real.
 */
export function testApp(): App {
  return new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
}

/**
 * An app as synth makes it for the limit checks: the project's feature flags, no bundling, and
 * aws-cdk-lib's own 500-resource check off, so that Office Zones' limits check (which names what
 * fills a stack) is the one that speaks.
 */
export function limitsApp(): App {
  return new App({
    context: {
      ...CDK_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
}

/** A test stack in an app with the project's feature flags. */
export function testStack(id = 'Test'): Stack {
  return new Stack(testApp(), id);
}

/** A deep copy of the reference blueprint's input, to change in a test. */
export function referenceInput(): BlueprintInput {
  return structuredClone(REFERENCE_BLUEPRINT);
}

/** The reference blueprint (or a variant), parsed and built into an app without the gate. */
export function buildReference(input: BlueprintInput = REFERENCE_BLUEPRINT): {
  app: App;
  blueprint: Blueprint;
  stacks: OfficeZonesStacks;
} {
  const app = testApp();
  const blueprint = parseBlueprint(input);
  const stacks = buildOfficeZones(app, blueprint);
  return { app, blueprint, stacks };
}

/** Runs `fn` and returns the message of the error it throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Every problem a blueprint has, as `path: message (received: value)` lines; fails if it has none. */
export function problemsOf(input: unknown): string[] {
  try {
    parseBlueprint(input);
  } catch (e) {
    if (e instanceof BlueprintError)
      return e.problems.map((p) => `${p.path}: ${p.message} (received: ${p.received})`);
    throw e;
  }
  throw new Error('expected the blueprint to be refused');
}

/** Runs `fn` with `OFFICE_ZONES_CACHE=off` (every cache of Office Zones bypassed), then restores it. */
export function withCachesOff<T>(fn: () => T): T {
  const saved = process.env.OFFICE_ZONES_CACHE;
  process.env.OFFICE_ZONES_CACHE = 'off';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.OFFICE_ZONES_CACHE;
    else process.env.OFFICE_ZONES_CACHE = saved;
  }
}

/**
 * Loads a module of this repository afresh, as a new Lambda execution environment loads its
 * handler: the module and every project source it imports are evaluated again, so their clients,
 * caches and tokens start empty and read the environment as it is now. Packages (the AWS SDK)
 * stay loaded, as a Lambda runtime's do. Test files share their worker's modules (DEC-042).
 *
 * @param file - absolute path of the module, e.g. `path.join(__dirname, '../handlers/x')`.
 */
export function freshModule<T = any>(file: string): T {
  const root = path.join(__dirname, '..') + path.sep;
  const own = (id: string) =>
    id.startsWith(root) && !id.includes(`${path.sep}node_modules${path.sep}`);
  const drop = (id: string) => {
    const loaded = require.cache[id];
    if (!loaded || !own(id)) return;
    delete require.cache[id];
    for (const child of loaded.children) drop(child.id);
  };
  const resolved = require.resolve(file);
  drop(resolved);
  return require(resolved);
}
