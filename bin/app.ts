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
import { formatLimitProblem, limitProblems, synthesizedTemplates } from '../lib/stacks/limits';

// The CDK app. `npx cdk synth` builds the reference blueprint; `-c blueprint=<file>` builds yours.
// Office Zones checks CloudFormation's per-stack limits itself, with the cause and the fix
// (lib/stacks/limits.ts), so aws-cdk-lib's generic 500-resource error is switched off unless the
// CLI or cdk.json sets it.
const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
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
  const assembly = app.synth();
  // AWS limits are checked whatever CDK_VALIDATION says: an over-limit template fails here, not at deploy.
  const problems = limitProblems(
    synthesizedTemplates(assembly),
    blueprint.deployment.accountQuotas,
  );
  if (problems.length > 0)
    synthError = new Error(
      `the stacks exceed ${problems.length === 1 ? 'an AWS limit' : `${problems.length} AWS limits`}:\n${problems.map((p) => `  ${formatLimitProblem(p)}`).join('\n')}`,
    );
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
