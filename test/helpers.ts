import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Blueprint, BlueprintInput, parseBlueprint, REFERENCE_BLUEPRINT } from '../lib/blueprint';
import { buildOfficeZones, OfficeZonesStacks } from '../lib/office-zones';

/** The feature flags of cdk.json, so tests build what `cdk synth` builds. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'),
).context;

/**
 * The feature flags, and no asset bundling: CDK's own switch (`aws:cdk:bundling-stacks`) that the
 * CLI uses for stacks it does not deploy. Bundling a Lambda handler with esbuild costs seconds per
 * synth; the gate test and `cdk synth` in CI do bundle.
 */
export const TEST_CONTEXT: Record<string, unknown> = {
  ...CDK_CONTEXT,
  'aws:cdk:bundling-stacks': [],
};

/** An app with the project's feature flags, no validation plugins and no asset bundling. */
export function testApp(): App {
  return new App({ context: TEST_CONTEXT });
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
