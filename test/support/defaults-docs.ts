import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * What the docs say about a zone's defaults, for the tests that hold them to the data: a prop's
 * TSDoc `@default`, a construct's TSDoc, and the README's "Default settings" tables.
 */
const root = path.join(__dirname, '..', '..');

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  let source = sources.get(file);
  if (!source) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    sources.set(file, source);
  }
  return source;
}

function declarationOf(file: string, name: string): ts.Node {
  let found: ts.Node | undefined;
  sourceOf(file).forEachChild((node) => {
    if (
      (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) &&
      node.name?.text === name
    )
      found = node;
  });
  if (!found) throw new Error(`${file} declares no ${name}`);
  return found;
}

/** The text of a prop's `@default` tag, e.g. `Duration.seconds(10)`. */
export function tsdocDefault(file: string, iface: string, prop: string): string | undefined {
  const declaration = declarationOf(file, iface) as ts.InterfaceDeclaration;
  const member = declaration.members.find((m) => m.name?.getText() === prop);
  if (!member) throw new Error(`${iface} in ${file} has no ${prop}`);
  const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
  return typeof tag?.comment === 'string' ? tag.comment.trim() : undefined;
}

/** A class's TSDoc, on one line. */
export function tsdocOf(file: string, cls: string): string {
  const declaration = declarationOf(file, cls);
  const text = ts
    .getJSDocCommentsAndTags(declaration)
    .map((doc) => doc.getFullText())
    .join(' ');
  return text.replace(/\s*\n\s*\*?\s*/g, ' ');
}

/** The README's "Default settings" table of one object: setting path to its default, as written. */
export function readmeDefaults(objectName: string): Map<string, string> {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n### `, readme.indexOf('\n## Default settings\n'));
  const heading = readme.indexOf(`(\`${objectName}\``, start);
  if (heading < 0) throw new Error(`README's "Default settings" has no table of ${objectName}`);
  const table = readme.slice(heading).split('\n\n')[1] ?? '';
  const rows = new Map<string, string>();
  for (const line of table.split('\n').slice(2)) {
    const [setting, value] = line
      .split('|')
      .slice(1, 3)
      .map((cell) => cell.trim());
    rows.set(setting!.replace(/`/g, ''), value!.replace(/`/g, ''));
  }
  return rows;
}

/** A README section's text, on one line. */
export function readmeSection(heading: string): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  return readme.slice(start, readme.indexOf('\n## ', start + 1)).replace(/\s*\n\s*/g, ' ');
}

/** A defaults object flattened to setting paths, lists written as their items. */
export function flatten(data: object, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(data)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) flat.set(at, value.join(', '));
    else if (value && typeof value === 'object')
      flatten(value, at).forEach((v, k) => flat.set(k, v));
    else flat.set(at, String(value));
  }
  return flat;
}

/** How aws-cdk-lib names a log retention of this many days in a `@default`. */
export function retentionName(days: number): string {
  const names: Record<number, string> = { 90: 'THREE_MONTHS', 365: 'ONE_YEAR' };
  if (!names[days]) throw new Error(`no RetentionDays name for ${days} days in the test`);
  return `logs.RetentionDays.${names[days]}`;
}
