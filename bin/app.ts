#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import {
  BlueprintError,
  loadBlueprintFile,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../lib/blueprint';
import { buildOfficeZones } from '../lib/stacks/office-zones';
import { writeReports } from '../lib/reports';
import { synthSummary } from '../lib/reports/readers';
import { registerSecurityChecks } from '../lib/stacks/security';

// The CDK app. `npx cdk synth` builds the reference blueprint; `-c blueprint=<file>` builds yours.
const app = new App();
const file: unknown = app.node.tryGetContext('blueprint');

let blueprint;
try {
  blueprint =
    typeof file === 'string' && file !== ''
      ? loadBlueprintFile(file)
      : parseBlueprint(REFERENCE_BLUEPRINT, 'the reference blueprint');
} catch (e) {
  if (!(e instanceof BlueprintError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}

/** A failure at synth is one clear message, not a stack trace (`cdk synth --debug` shows it). */
function fail(e: unknown): never {
  const error = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`Office Zones could not synthesize: ${error.message}\n`);
  if (process.env.CDK_DEBUG === 'true') process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

let stacks;
let security;
try {
  stacks = buildOfficeZones(app, blueprint);
  security = registerSecurityChecks(app, blueprint);
} catch (e) {
  fail(e);
}
let synthError: unknown;
try {
  app.synth();
} catch (e) {
  synthError = e;
}
// Reports for finance, security and IT go next to the templates, also when a check failed.
let written: string[] = [];
try {
  written = writeReports({ outdir: app.outdir, blueprint, stacks, security });
} catch (e) {
  fail(synthError ?? e);
}
if (synthError) fail(synthError);
process.stderr.write(synthSummary(app.outdir, written));
