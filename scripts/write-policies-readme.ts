// Regenerates the rules table in policies/README.md from the boundary pack: `npm run policies:readme`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withRulesTable } from '../policies/boundary/rules-table';

const file = path.join(__dirname, '..', 'policies', 'README.md');
fs.writeFileSync(file, withRulesTable(fs.readFileSync(file, 'utf8')));
console.log(`wrote ${path.relative(process.cwd(), file)}`);
