#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import {
  BlueprintError,
  loadBlueprintFile,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../lib/blueprint';
import { buildOfficeZones } from '../lib/office-zones';
import { writeReports } from '../lib/reports';
import { registerSecurityChecks } from '../lib/security';

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

const stacks = buildOfficeZones(app, blueprint);
const security = registerSecurityChecks(app, blueprint);
try {
  app.synth();
} finally {
  // Reports for finance, security and IT go next to the templates, also when a check failed.
  writeReports({ outdir: app.outdir, blueprint, stacks, security });
}
