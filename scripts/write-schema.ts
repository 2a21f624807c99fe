// Regenerates blueprint.schema.json from the model: `npm run schema`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blueprintJsonSchema } from '../lib/blueprint';

const file = path.join(__dirname, '..', 'blueprint.schema.json');
fs.writeFileSync(file, JSON.stringify(blueprintJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
