#!/usr/bin/env node
// The `office-zones` command (package.json `bin`). In a checkout of the repository it runs the
// TypeScript source as one cached bundle, as `cdk synth` runs bin/app.ts (bin/app-bundle.js,
// DEC-041); the npm package ships the compiled CLI in dist/ and no TypeScript.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, 'office-zones.ts');
if (fs.existsSync(source)) {
  require('./app-bundle').runBundled(source);
} else {
  require('../dist/bin/office-zones.js');
}
