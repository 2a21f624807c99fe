#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { BlueprintError } from '../lib/blueprint';
import { synthSummary } from '../lib/reports/readers';
import { synthOfficeZones } from '../lib/synth';

// The CDK app. `npx cdk synth` builds the reference blueprint; `-c blueprint=<file>` builds yours.
// Everything else happens in synthOfficeZones, the entry the package exports. Office Zones checks
// CloudFormation's per-stack limits itself, with the cause and the fix (lib/stacks/limits.ts), so
// aws-cdk-lib's generic 500-resource error is off unless the CLI or cdk.json sets it.
const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
const file: unknown = app.node.tryGetContext('blueprint');

try {
  const { reports } = synthOfficeZones({
    app,
    ...(typeof file === 'string' && file !== '' ? { blueprintFile: file } : {}),
  });
  process.stderr.write(synthSummary(app.outdir, [...reports]));
} catch (e) {
  // A failure is one clear message on stderr, not a stack trace (`cdk synth --debug` shows it).
  if (e instanceof BlueprintError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    const error = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`Office Zones could not synthesize: ${error.message}\n`);
    if (process.env.CDK_DEBUG === 'true') process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
}
