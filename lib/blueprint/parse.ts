import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { Blueprint, BlueprintSchema } from './model';
import { checkBlueprintRules } from './rules';

/** One problem of a blueprint, in the caller's words. */
export interface BlueprintProblem {
  /** `frontOffice.products[1].costCentre` */
  readonly path: string;
  readonly message: string;
  /** The value found at that path, as JSON, or `undefined` when it is missing. */
  readonly received: string;
  /**
   * The path as a reader finds it: every item of a list that has a name is named,
   * `frontOffice.products[1] (loyalty).costCentre`.
   * @default - `path`
   */
  readonly where?: string;
  /**
   * The code around a syntax error, with a caret under the column.
   * @default - none
   */
  readonly excerpt?: string;
}

/** A blueprint that cannot be built. Its message lists every problem, one a line. */
export class BlueprintError extends Error {
  /**
   * @param source what was read, e.g. the file's name
   * @param headline the first line of the message
   * @default headline `<source> is not a valid Office Zones blueprint (<n> problems):`
   */
  constructor(
    readonly source: string,
    readonly problems: readonly BlueprintProblem[],
    headline?: string,
  ) {
    super(
      `${headline ?? `${source} is not a valid Office Zones blueprint (${problems.length} problem${problems.length === 1 ? '' : 's'}):`}\n` +
        problems
          .map(
            (p) =>
              `  ${p.where ?? p.path}: ${p.message} (received: ${p.received})` +
              (p.excerpt ? `\n${p.excerpt.replace(/^/gm, '      ')}` : ''),
          )
          .join('\n'),
    );
    this.name = 'BlueprintError';
  }
}

/**
 * Validates a blueprint and fills in its defaults. Collects every problem, structural and
 * semantic, and throws one `BlueprintError` listing them all.
 *
 * Any value a program can build is judged like the same blueprint read from a file: array holes,
 * `undefined` items, functions, cycles and properties that cannot be read are problems with a
 * path, never a `TypeError`.
 */
export function parseBlueprint(input: unknown, source = 'the blueprint'): Blueprint {
  const problems: BlueprintProblem[] = [];
  const seen = new Set<string>();
  // Paths already reported: nothing at or under them is reported again.
  const reported: string[] = [];
  const covered = (at: string) =>
    reported.some((r) => at === r || at.startsWith(`${r}.`) || at.startsWith(`${r}[`));
  const { data, unreadable } = plainData(input);
  const report = (at: PropertyKey[], message: string, received?: string) => {
    const key = `${formatPath(at)}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({
      path: formatPath(at),
      where: namedPath(data, at),
      message,
      received: received ?? describe(valueAt(data, at)),
    });
  };
  for (const u of unreadable) report(u.path, u.message, u.received);
  reported.push(...unreadable.map((u) => formatPath(u.path)));

  const result = BlueprintSchema.safeParse(data);
  for (const issue of result.error?.issues ?? []) {
    if (covered(formatPath(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(BlueprintSchema, issue.path);
      for (const key of issue.keys) {
        if (covered(formatPath([...issue.path, key]))) continue;
        const guess = closest(key, known);
        report(
          [...issue.path, key],
          guess ? `is not a known key; did you mean ${guess}?` : 'is not a known key',
        );
      }
    } else {
      report(issue.path, messageOf(issue, valueAt(data, issue.path)));
    }
  }
  // A value already reported for its shape is not reported again for what it means.
  reported.push(...problems.map((p) => p.path));
  for (const problem of checkBlueprintRules(data)) {
    if (!covered(formatPath(problem.path))) report(problem.path, problem.message);
  }
  if (problems.length > 0 || !result.success) throw new BlueprintError(source, problems);
  // The rules make sure that one of them is given.
  return {
    ...result.data,
    environment: result.data.environment ?? result.data.environments![0].name,
  };
}

/** Reads a blueprint from a `.json`, `.yaml` or `.yml` file and parses it. */
export function loadBlueprintFile(file: string): Blueprint {
  const source = path.basename(file);
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    const reason =
      error.code === 'ENOENT'
        ? 'no such file'
        : error.code === 'EISDIR'
          ? 'is a directory, not a file'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.message;
    throw new BlueprintError(
      source,
      [{ path: '(file)', message: reason, received: JSON.stringify(file) }],
      `Cannot read the blueprint file ${resolved}:`,
    );
  }
  const yaml = /\.ya?ml$/i.test(file);
  const problems = yaml ? yamlProblems(text) : jsonProblems(text);
  if (problems.length > 0) {
    throw new BlueprintError(
      source,
      problems,
      `${source} is not valid ${yaml ? 'YAML' : 'JSON'} (${resolved}):`,
    );
  }
  return parseBlueprint(yaml ? loadYaml().parse(text) : JSON.parse(text), source);
}

/**
 * The `yaml` package, loaded for a YAML blueprint only: some 70 modules (about 50 ms) that a
 * synth of the reference or of a JSON blueprint does not need.
 */
function loadYaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}

/** Every syntax error of a YAML text, each with its line, column and the code there. */
function yamlProblems(text: string): BlueprintProblem[] {
  return loadYaml()
    .parseDocument(text)
    .errors.map((error) => {
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '');
      const pos = error.linePos?.[0];
      return pos
        ? syntaxProblem(text, pos.line, pos.col, message)
        : { path: '(file)', message, received: 'text that is not YAML' };
    });
}

/** The syntax error of a JSON text, with its line, column and the code there. */
function jsonProblems(text: string): BlueprintProblem[] {
  try {
    JSON.parse(text);
    return [];
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (!position) return [{ path: '(file)', message, received: 'text that is not JSON' }];
    const before = text.slice(0, Number(position[1])).split('\n');
    return [
      syntaxProblem(
        text,
        before.length,
        before[before.length - 1]!.length + 1,
        message.replace(/ in JSON at position \d+.*$/s, ''),
      ),
    ];
  }
}

function syntaxProblem(text: string, line: number, col: number, message: string): BlueprintProblem {
  const code = (text.split('\n')[line - 1] ?? '').trimEnd();
  return {
    path: `(file) line ${line}, column ${col}`,
    message,
    received: JSON.stringify(code.trim()),
    excerpt: `${code}\n${' '.repeat(Math.max(0, col - 1))}^`,
  };
}

function messageOf(issue: z.core.$ZodIssue, received: unknown): string {
  if (issue.code === 'invalid_type') {
    const noun = `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    if (received === undefined) {
      return typeof issue.path[issue.path.length - 1] === 'number'
        ? `is an empty item of the list (a hole or undefined): remove it or give ${noun}`
        : `is required (${noun})`;
    }
    if (
      issue.expected === 'string' &&
      (typeof received === 'number' || typeof received === 'boolean')
    )
      // YAML reads an unquoted number, dropping its leading zeros: an 11-digit account id was
      // most likely a 12-digit one that began with 0.
      return typeof received === 'number' && /^[0-9]{11}$/.test(String(received))
        ? `must be a string: put it in quotes exactly as written (YAML read it as the number ${String(received)}, dropping any leading zeros)`
        : `must be a string: put it in quotes, "${String(received)}"`;
    return `must be ${noun}`;
  }

  if (issue.code === 'too_small' && issue.origin === 'array') {
    return issue.message.startsWith('Too small')
      ? `needs at least ${issue.minimum} item(s)`
      : issue.message;
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    if (!issue.message.startsWith('Too ')) return issue.message;
    const bound = issue.code === 'too_small' ? 'at least' : 'at most';
    const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    return issue.origin === 'string'
      ? `must have ${bound} ${limit} characters`
      : `must be ${bound} ${limit}`;
  }
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

export function formatPath(at: readonly PropertyKey[]): string {
  let out = '';
  for (const part of at) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(input: unknown, at: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of at) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * The path with every named list item named: `frontOffice.products[1] (loyalty).costCentre`.
 */
function namedPath(data: unknown, at: readonly PropertyKey[]): string {
  let out = '';
  let value: unknown = data;
  for (const part of at) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[part]
        : undefined;
    if (typeof part === 'number') {
      const name =
        value !== null && typeof value === 'object'
          ? (value as { name?: unknown }).name
          : undefined;
      out += typeof name === 'string' && name.trim() !== '' ? `[${part}] (${name})` : `[${part}]`;
    } else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** A value as the caller wrote it, for `(received: ...)`, whatever it is. Never throws. */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'bigint':
      return `${value}n`;
    case 'number':
      return String(value); // NaN and Infinity as such (JSON would say null)
  }
  if (value instanceof Map) return `a Map of ${value.size} entries`;
  if (value instanceof Set) return `a Set of ${value.size} items`;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isPlainObject(value))
    return `an instance of ${(Object.getPrototypeOf(value)?.constructor as { name?: string } | undefined)?.name || 'a class'}`;
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : typeof v === 'function' ? '(a function)' : v,
    );
  } catch {
    json = undefined;
  }
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * An object literal, `Object.create(null)` or parsed JSON, from any realm (a `structuredClone` or
 * a jest sandbox has an `Object.prototype` of its own).
 */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A part of the input that could not be read as data: a cycle or a property that throws. */
interface Unreadable {
  readonly path: PropertyKey[];
  readonly message: string;
  readonly received: string;
}

/**
 * A copy of the input as plain data, as a file would give it: arrays dense (a hole becomes
 * `undefined`), plain objects copied key by key. Other values (functions, class instances,
 * Maps, Dates) are kept for the schema to refuse. Cycles and properties that throw when read
 * become problems instead of errors.
 */
function plainData(input: unknown): { data: unknown; unreadable: Unreadable[] } {
  const unreadable: Unreadable[] = [];
  const ancestors: { value: object; path: PropertyKey[] }[] = [];
  const read = (owner: object, key: PropertyKey, at: PropertyKey[]): unknown => {
    try {
      return copy((owner as Record<PropertyKey, unknown>)[key], at);
    } catch (e) {
      unreadable.push({
        path: at,
        message: `cannot be read: ${e instanceof Error ? e.message : String(e)}`,
        received: 'a property that throws',
      });
      return undefined;
    }
  };
  const copy = (value: unknown, at: PropertyKey[]): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const isArray = Array.isArray(value);
    if (!isArray && !isPlainObject(value)) return value;
    const ancestor = ancestors.find((a) => a.value === value);
    if (ancestor) {
      unreadable.push({
        path: at,
        message: `refers back to ${formatPath(ancestor.path)} (a cycle): a blueprint is a tree`,
        received: 'a cycle',
      });
      return undefined;
    }
    ancestors.push({ value, path: at });
    try {
      if (isArray) {
        const array = value as unknown[];
        return Array.from({ length: array.length }, (_, i) => read(array, i, [...at, i]));
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = read(value, key, [...at, key]);
      return out;
    } finally {
      ancestors.pop();
    }
  };
  return { data: copy(input, []), unreadable };
}

/** The keys the schema knows for the object at a path of the data, for "did you mean". */
function knownKeysAt(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  const unwrap = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    for (let i = 0; s && i < 10; i++) {
      const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if (def.innerType) s = def.innerType;
      else if (def.type === 'pipe' && def.in) s = def.in;
      else break;
    }
    return s;
  };
  for (const part of at) {
    current = unwrap(current);
    const def = current?._zod.def as
      | {
          type: string;
          shape?: Record<string, z.core.$ZodType>;
          element?: z.core.$ZodType;
          valueType?: z.core.$ZodType;
        }
      | undefined;
    if (!def) return [];
    if (def.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else if (def.type === 'array' && typeof part === 'number') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
  }
  const def = unwrap(current)?._zod.def as
    { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The known key a misspelt one most likely meant: same letters ignoring case, or a few edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(lower, k.toLowerCase());
    if (distance <= Math.max(1, Math.floor(k.length / 3)) && (!best || distance < best.distance))
      best = { key: k, distance };
  }
  return best?.key;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
