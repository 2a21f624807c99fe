#!/usr/bin/env node
// The `office-zones` command (package.json `bin`). The package ships TypeScript and runs it
// through tsx, as `cdk synth` runs bin/app.ts; this launcher only registers tsx.
require('tsx/cjs/api').register();
require('./office-zones.ts');
