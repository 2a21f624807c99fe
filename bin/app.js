#!/usr/bin/env node
// The CDK app that `npx cdk synth` runs (cdk.json): bin/app.ts, bundled with esbuild and cached
// until one of its sources changes (bin/app-bundle.js, DEC-041).
const path = require('node:path');
const { runBundled } = require('./app-bundle');

runBundled(path.join(__dirname, 'app.ts'));
