// Writes a blueprint grown as a user would grow it (test/support/large-blueprint.ts) as JSON:
// `tsx scripts/write-large-blueprint.ts <products> <capabilities> <file>`. Used by scripts/bench.sh.
import * as fs from 'node:fs';
import { largeBlueprint } from '../test/support/large-blueprint';

const [products, capabilities, file] = process.argv.slice(2);
if (!products || !capabilities || !file) {
  console.error('usage: write-large-blueprint.ts <products> <capabilities> <file>');
  process.exit(2);
}
fs.writeFileSync(
  file,
  JSON.stringify(largeBlueprint({ products: Number(products), capabilities: Number(capabilities) })),
);
