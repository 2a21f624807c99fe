#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { BlueprintError } from '../lib/blueprint';
import { synthOfficeZones } from '../lib/synth';

// The CDK app. `npx cdk synth` builds the reference blueprint; `-c blueprint=<file>` builds yours.
// Everything else happens in synthOfficeZones, the entry the package exports.
const app = new App();
const file: unknown = app.node.tryGetContext('blueprint');

try {
  synthOfficeZones({
    app,
    ...(typeof file === 'string' && file !== '' ? { blueprintFile: file } : {}),
  });
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
