import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every Lambda handler of the constructs: a file directly in a `handlers/` folder under
 * `constructs/` that exports `handler`. Helpers beside them (imported by handlers) export no
 * `handler` and are bundled into the handlers that import them.
 */
export function handlerEntries(root: string): string[] {
  const dir = path.join(root, 'constructs');
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(^|\/)handlers\/[^/]+\.ts$/.test(file.split(path.sep).join('/')))
    .map((file) => path.join(dir, file))
    .filter((file) =>
      /^export (async function|function|const) handler\b/m.test(fs.readFileSync(file, 'utf8')),
    )
    .sort();
}
