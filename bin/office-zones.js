#!/usr/bin/env node
// The `office-zones` command (package.json `bin`). In a checkout of the repository it runs the
// TypeScript source through tsx, as `cdk synth` runs bin/app.ts; the npm package ships the
// compiled CLI in dist/ and no TypeScript.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, 'office-zones.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register();
  require(source);
} else {
  require('../dist/bin/office-zones.js');
}
