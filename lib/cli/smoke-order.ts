import { randomBytes } from 'node:crypto';
import Ajv from 'ajv-draft-04';

/**
 * The smoke test's order: the smallest body a command's JSON Schema (draft 4, the dialect of API
 * Gateway models) accepts, with a fresh id so that every run is a new order. Only the required
 * properties are filled; each value is the first the schema allows (the first `enum` value, the
 * lowest number of at least 1, the fewest array items). Strings with a `pattern` get a string
 * built from the pattern. The result is then checked against the schema by a draft-4 validator,
 * so a schema the generator cannot satisfy is reported, never sent.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */
export interface GeneratedOrder {
  readonly body: Record<string, unknown>;
  /** The value of the id field, which the poll reads the record back by. */
  readonly id: string;
}

/** Why no valid order can be built, every problem by its path in the body. */
export class OrderSchemaError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'OrderSchemaError';
  }
}

/** A fresh id: letters, digits and hyphens, as most id patterns allow. */
export function freshId(now: Date = new Date()): string {
  return `smoke-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

type Schema = Record<string, unknown>;

/** Generates a minimal valid body for `schema`, whose `idField` gets `id`. */
export function minimalOrder(schema: Schema, idField: string, id = freshId()): GeneratedOrder {
  const problems: string[] = [];
  const root = schema;
  const body = generate(schema, '', { root, problems, idField, id, depth: 0 });
  if (problems.length > 0) throw new OrderSchemaError(problems);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new OrderSchemaError(['(body): the schema does not describe a JSON object']);
  }
  const record = body as Record<string, unknown>;
  const invalid = schemaProblems(schema, record);
  if (invalid.length > 0) throw new OrderSchemaError(invalid);
  if (typeof record[idField] !== 'string') {
    throw new OrderSchemaError([`${idField}: the schema does not make it a required string`]);
  }
  return { body: record, id: record[idField] as string };
}

/** What a draft-4 validator finds wrong with `body`, as `path: message` lines. */
export function schemaProblems(schema: Schema, body: unknown): string[] {
  // Draft-4 regexes are ECMA 262 without the u flag, as API Gateway reads them.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    unicodeRegExp: false,
    validateFormats: false,
  });
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    return [`(schema): not a valid JSON Schema draft 4 (${(e as Error).message})`];
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
    return `${where}: ${e.message}${extra ? ` (${extra})` : ''}`;
  });
}

interface Context {
  readonly root: Schema;
  readonly problems: string[];
  readonly idField: string;
  readonly id: string;
  readonly depth: number;
}

function at(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function generate(schema: unknown, path: string, ctx: Context): unknown {
  const where = path || '(body)';
  if (ctx.depth > 32) {
    ctx.problems.push(`${where}: nested too deeply (a recursive $ref?)`);
    return null;
  }
  if (schema === undefined || schema === true) return 'smoke';
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    ctx.problems.push(`${where}: not a schema (received: ${JSON.stringify(schema)})`);
    return null;
  }
  let s = schema as Schema;
  const inner = { ...ctx, depth: ctx.depth + 1 };
  if (typeof s.$ref === 'string') return generate(resolveRef(s.$ref, where, ctx), path, inner);
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    // Properties and requirements of every part, the rest of this schema on top.
    s = mergeAll([...(s.allOf as Schema[]), { ...s, allOf: undefined }]);
  }
  for (const alternatives of [s.anyOf, s.oneOf]) {
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      return generate(
        { ...s, anyOf: undefined, oneOf: undefined, ...(alternatives[0] as Schema) },
        path,
        inner,
      );
    }
  }
  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0) ctx.problems.push(`${where}: enum is empty`);
    return s.enum[0];
  }
  switch (typeOf(s)) {
    case 'object':
      return object(s, path, inner);
    case 'array':
      return array(s, path, inner);
    case 'integer':
      return number(s, true, where, ctx);
    case 'number':
      return number(s, false, where, ctx);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return string(s, path, ctx);
  }
}

function typeOf(s: Schema): string {
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  if (typeof type === 'string') return type;
  if (s.properties || s.required) return 'object';
  if (s.items) return 'array';
  return 'string';
}

function resolveRef(ref: string, where: string, ctx: Context): unknown {
  if (!ref.startsWith('#')) {
    ctx.problems.push(`${where}: $ref ${ref} points outside the schema`);
    return undefined;
  }
  let node: unknown = ctx.root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (node === undefined) ctx.problems.push(`${where}: $ref ${ref} names nothing in the schema`);
  return node;
}

function mergeAll(parts: Schema[]): Schema {
  const out: Schema = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (v === undefined) continue;
      if (k === 'properties') out.properties = { ...(out.properties as object), ...(v as object) };
      else if (k === 'required')
        out.required = [...new Set([...((out.required as string[]) ?? []), ...(v as string[])])];
      else out[k] = v;
    }
  }
  return out;
}

function object(s: Schema, path: string, ctx: Context): Record<string, unknown> {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of required) {
    const propertySchema = properties[name] ?? additional(s);
    out[name] =
      path === '' && name === ctx.idField
        ? idValue(propertySchema, ctx)
        : generate(propertySchema, at(path, name), ctx);
  }
  const minProperties = typeof s.minProperties === 'number' ? s.minProperties : 0;
  for (const name of Object.keys(properties)) {
    if (Object.keys(out).length >= minProperties) break;
    if (!(name in out)) out[name] = generate(properties[name], at(path, name), ctx);
  }
  return out;
}

function additional(s: Schema): unknown {
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

function array(s: Schema, path: string, ctx: Context): unknown[] {
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  const items = s.items;
  const out: unknown[] = [];
  for (let i = 0; i < min; i++) {
    const itemSchema = Array.isArray(items) ? (items[i] ?? s.additionalItems) : items;
    out.push(generate(itemSchema, at(path, i), ctx));
  }
  return out;
}

function number(s: Schema, integer: boolean, where: string, ctx: Context): number {
  const min = typeof s.minimum === 'number' ? s.minimum : undefined;
  const max = typeof s.maximum === 'number' ? s.maximum : undefined;
  const step =
    typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : undefined;
  // Draft 4: exclusiveMinimum and exclusiveMaximum are booleans that qualify minimum and maximum.
  const above = (v: number) =>
    min === undefined ? true : s.exclusiveMinimum === true ? v > min : v >= min;
  const below = (v: number) =>
    max === undefined ? true : s.exclusiveMaximum === true ? v < max : v <= max;
  let value = Math.max(1, min ?? 1);
  if (max !== undefined && !below(value)) value = min ?? max;
  if (step !== undefined) value = Math.ceil(value / step) * step;
  if (!above(value)) value = step !== undefined ? value + step : value + 1;
  if (!below(value) || !above(value)) {
    ctx.problems.push(
      `${where}: no ${integer ? 'integer' : 'number'} fits minimum ${min}, maximum ${max}`,
    );
  }
  return value;
}

function idValue(s: unknown, ctx: Context): string {
  const schema = (s && typeof s === 'object' ? s : {}) as Schema;
  if (fits(schema, ctx.id)) return ctx.id;
  // A pattern the fresh id does not fit: build a random string from the pattern instead.
  const built = fromPattern(schema, true);
  if (built !== undefined && fits(schema, built)) return built;
  ctx.problems.push(
    `${ctx.idField}: cannot make a fresh id that fits ${describe(schema)}: pass --order <file>`,
  );
  return ctx.id;
}

function string(s: Schema, path: string, ctx: Context): string {
  for (const candidate of ['smoke', 'SMOKE', 'smoke-test-order']) {
    if (fits(s, candidate)) return candidate;
  }
  const built = fromPattern(s, false);
  if (built !== undefined && fits(s, built)) return built;
  ctx.problems.push(`${path || '(body)'}: cannot make a string that fits ${describe(s)}`);
  return 'smoke';
}

function describe(s: Schema): string {
  const parts = [
    s.pattern !== undefined ? `pattern ${JSON.stringify(s.pattern)}` : '',
    s.minLength !== undefined ? `minLength ${s.minLength}` : '',
    s.maxLength !== undefined ? `maxLength ${s.maxLength}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'its schema';
}

function fits(s: Schema, value: string): boolean {
  if (typeof s.minLength === 'number' && value.length < s.minLength) return false;
  if (typeof s.maxLength === 'number' && value.length > s.maxLength) return false;
  if (typeof s.pattern === 'string') {
    try {
      return new RegExp(s.pattern).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * A string matching a simple regular expression: literals, escapes (`\d`, `\w`, `\.`), character
 * classes with ranges, groups with alternatives (the first is taken) and the quantifiers `?`,
 * `*`, `+`, `{n}`, `{n,}`, `{n,m}`. Anything else gives undefined. The length is padded to
 * `minLength` by repeating the last repeatable atom. With `random`, characters are drawn at random
 * from each class (a fresh id); otherwise the first of each class is taken.
 */
export function fromPattern(s: Schema, random: boolean): string | undefined {
  if (typeof s.pattern !== 'string') {
    const length = Math.max(typeof s.minLength === 'number' ? s.minLength : 1, random ? 12 : 1);
    return Array.from({ length }, () => pick(ALNUM, random)).join('');
  }
  const parsed = parse(s.pattern);
  if (!parsed) return undefined;
  const want = typeof s.minLength === 'number' ? s.minLength : random ? 12 : 0;
  const cap = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  return render(parsed, random, want, cap);
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS = '0123456789';
const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';

function pick(chars: string, random: boolean): string {
  return random ? chars[randomBytes(1)[0] % chars.length] : chars[0];
}

/** One atom of a pattern with its repetition bounds. */
interface Atom {
  readonly chars?: string;
  readonly group?: Atom[];
  readonly min: number;
  readonly max: number;
}

function parse(pattern: string): Atom[] | undefined {
  let i = 0;
  const sequence = (): Atom[] | undefined => {
    const atoms: Atom[] = [];
    while (i < pattern.length && pattern[i] !== ')' && pattern[i] !== '|') {
      const c = pattern[i];
      let base: { chars?: string; group?: Atom[] } | undefined;
      if (c === '^' || c === '$') {
        i++;
        continue;
      } else if (c === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end < 0 || pattern[i + 1] === '^') return undefined;
        const chars = classChars(pattern.slice(i + 1, end));
        if (!chars) return undefined;
        base = { chars };
        i = end + 1;
      } else if (c === '(') {
        i++;
        if (pattern.startsWith('?:', i)) i += 2;
        else if (pattern[i] === '?') return undefined;
        const first = sequence();
        if (!first) return undefined;
        // Alternatives after the first are skipped: the first one is generated.
        let depth = 0;
        while (i < pattern.length && !(depth === 0 && pattern[i] === ')')) {
          if (pattern[i] === '\\') i++;
          else if (pattern[i] === '(') depth++;
          else if (pattern[i] === ')') depth--;
          i++;
        }
        if (pattern[i] !== ')') return undefined;
        i++;
        base = { group: first };
      } else if (c === '\\') {
        const e = pattern[i + 1];
        const escaped =
          e === 'd'
            ? DIGITS
            : e === 'w'
              ? WORD
              : e === 's'
                ? ' '
                : /[^A-Za-z0-9]/.test(e ?? 'a')
                  ? e
                  : undefined;
        if (!escaped) return undefined;
        base = { chars: escaped };
        i += 2;
      } else if ('*+?{'.includes(c)) {
        return undefined;
      } else {
        base = { chars: c === '.' ? ALNUM : c };
        i++;
      }
      const bounds = quantifier();
      if (!bounds) return undefined;
      atoms.push({ ...base, ...bounds });
    }
    return atoms;
  };
  const quantifier = (): { min: number; max: number } | undefined => {
    const q = pattern[i];
    if (q === '?') return (i++, { min: 0, max: 1 });
    if (q === '*') return (i++, { min: 0, max: Infinity });
    if (q === '+') return (i++, { min: 1, max: Infinity });
    if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      const min = Number(m[1]);
      return { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    return { min: 1, max: 1 };
  };
  // A top-level alternative: the first branch is generated, the rest is not read.
  return sequence();
}

function classChars(body: string): string | undefined {
  let out = '';
  for (let j = 0; j < body.length; j++) {
    let c = body[j];
    if (c === '\\') {
      const e = body[++j];
      if (e === 'd') out += DIGITS;
      else if (e === 'w') out += WORD;
      else if (e !== undefined && /[^A-Za-z0-9]/.test(e)) out += e;
      else return undefined;
      continue;
    }
    if (body[j + 1] === '-' && j + 2 < body.length) {
      const to = body[j + 2];
      if (to < c) return undefined;
      for (let k = c.charCodeAt(0); k <= to.charCodeAt(0); k++) out += String.fromCharCode(k);
      j += 2;
      continue;
    }
    c = body[j];
    out += c;
  }
  return out || undefined;
}

function render(atoms: Atom[], random: boolean, want: number, cap: number): string {
  const counts = atoms.map((a) => a.min);
  const one = (a: Atom): string =>
    a.group ? render(a.group, random, 0, Infinity) : pick(a.chars!, random);
  const text = () =>
    atoms.map((a, n) => Array.from({ length: counts[n] }, () => one(a)).join('')).join('');
  // Lengthen with the last atoms that can repeat, up to `want` and never past `cap`.
  for (let n = atoms.length - 1; n >= 0 && text().length < want; n--) {
    while (counts[n] < atoms[n].max && text().length < Math.min(want, cap)) counts[n]++;
  }
  return text();
}
