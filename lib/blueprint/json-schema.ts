import Ajv from 'ajv-draft-04';

/**
 * Checks of a JSON Schema that API Gateway will hold as a model: what it accepts, and what it
 * would accept but no request could ever pass. API Gateway models are JSON Schema draft 4; a model
 * that is not valid draft 4 fails `CreateModel` at deploy, an hour after a synth that passed.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 * @see https://json-schema.org/draft-04/schema
 */

/** One problem of a schema: where in it (path segments under the schema) and what. */
export interface SchemaProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

const DRAFT4 = 'http://json-schema.org/draft-04/schema';

let ajv: Ajv | undefined;
/** One draft-4 validator for the process, with `format: "regex"` (the meta-schema's `pattern`) checked. */
function draft4(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    ajv.addFormat('regex', (pattern: string) => {
      try {
        new RegExp(pattern, 'u');
        return true;
      } catch {
        return false;
      }
    });
  }
  return ajv;
}

/**
 * Every problem of `schema` as an API Gateway model: against the draft-4 meta-schema first, then
 * whether it compiles (a `$ref` that resolves to nothing, a `$schema` other than draft 4), then the
 * contradictions a valid schema can hold that refuse every request.
 */
export function modelSchemaProblems(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const validator = draft4();
  const meta = validator.getSchema(DRAFT4);
  if (!meta) throw new Error('the JSON Schema draft 4 meta-schema is not loaded');
  if (!meta(schema)) {
    for (const error of meta.errors ?? []) {
      problems.push({
        path: pointerPath(error.instancePath),
        message: `must be valid JSON Schema draft 4, as API Gateway models are: ${error.message}${
          error.params && 'allowedValues' in error.params
            ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
            : ''
        }`,
      });
    }
    // The meta-schema's anyOf/type errors repeat one fault; one line per path is enough.
    return dedupe(problems);
  }
  const declared = (schema as Record<string, unknown>).$schema;
  if (typeof declared === 'string' && declared.replace(/#$/, '') !== DRAFT4) {
    problems.push({
      path: ['$schema'],
      message: `must be ${DRAFT4}# or absent: API Gateway models are JSON Schema draft 4`,
    });
    return problems;
  }
  try {
    validator.compile({ ...(schema as object), $schema: undefined, id: undefined });
  } catch (e) {
    problems.push({ path: [], message: `cannot be compiled: ${(e as Error).message}` });
    return problems;
  }
  walk(schema, [], problems);
  return problems;
}

const TYPE_OF: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
};

/** Contradictions that leave no value valid, in the schema and every subschema. */
function walk(node: unknown, at: (string | number)[], problems: SchemaProblem[]) {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return;
  const s = node as Record<string, unknown>;
  const types = s.type === undefined ? undefined : ([] as unknown[]).concat(s.type);
  if (Array.isArray(s.enum) && types) {
    s.enum.forEach((value, i) => {
      if (!types.some((t) => TYPE_OF[t as string]?.(value)))
        problems.push({
          path: [...at, 'enum', i],
          message: `is not of the declared type ${types.join(' or ')}: no request can send it`,
        });
    });
  }
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  if (s.additionalProperties === false && Array.isArray(s.required)) {
    s.required.forEach((name, i) => {
      if (typeof name === 'string' && !(name in properties))
        problems.push({
          path: [...at, 'required', i],
          message: `names ${name}, which properties does not declare and additionalProperties: false forbids: no request can pass`,
        });
    });
  }
  for (const [low, high] of [
    ['minLength', 'maxLength'],
    ['minItems', 'maxItems'],
    ['minimum', 'maximum'],
    ['minProperties', 'maxProperties'],
  ]) {
    if (typeof s[low] === 'number' && typeof s[high] === 'number' && s[low] > s[high])
      problems.push({
        path: [...at, low],
        message: `is greater than ${high} (${s[high]}): no value can pass`,
      });
  }
  for (const [name, sub] of Object.entries(properties))
    walk(sub, [...at, 'properties', name], problems);
  for (const key of ['patternProperties', 'definitions']) {
    for (const [name, sub] of Object.entries((s[key] ?? {}) as Record<string, unknown>))
      walk(sub, [...at, key, name], problems);
  }
  if (Array.isArray(s.items)) s.items.forEach((sub, i) => walk(sub, [...at, 'items', i], problems));
  else walk(s.items, [...at, 'items'], problems);
  for (const key of ['additionalProperties', 'additionalItems', 'not'])
    walk(s[key], [...at, key], problems);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[key]))
      (s[key] as unknown[]).forEach((sub, i) => walk(sub, [...at, key, i], problems));
  }
}

/** A JSON pointer (`/properties/lines/minItems`) as path segments. */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * One line per fault: the meta-schema's `anyOf` branches repeat a fault at every level above it
 * (`items` "must be array" beside the real fault inside `items`), so a problem at a path that is a
 * prefix of another problem's path is dropped, and so is a second problem at the same path.
 */
function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const key = (p: SchemaProblem) => JSON.stringify(p.path);
  const isPrefix = (a: SchemaProblem['path'], b: SchemaProblem['path']) =>
    a.length < b.length && a.every((segment, i) => segment === b[i]);
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (seen.has(key(p))) return false;
    seen.add(key(p));
    return !problems.some((q) => isPrefix(p.path, q.path));
  });
}

/** The largest body a schema accepts, or why it has none. */
export type BodyBound =
  | { readonly bytes: number; readonly unbounded?: undefined }
  | { readonly bytes?: undefined; readonly unbounded: SchemaProblem[] };

/** `JSON.stringify` of any finite double is at most this long, e.g. `-1.7976931348623157e+308`. */
const MAX_NUMBER_CHARS = 24;
/**
 * Bytes one character of a string can take in compact JSON: a control character is written as a
 * six-byte `\u0001`; anything else takes at most four bytes of UTF-8. (JSON Schema's `maxLength`
 * counts characters, not bytes.)
 */
const MAX_BYTES_PER_CHAR = 6;

/**
 * The largest request body, in bytes, that `schema` accepts as compact JSON (as `JSON.stringify`
 * and every JSON library write it: no whitespace, numbers in shortest form, every optional
 * property present). Unbounded when a string has no `maxLength` or `enum`, an array no `maxItems`,
 * an object allows properties it does not declare, or a value has no `type`; each such place is
 * named. `fixed` gives the byte size of top-level properties bounded elsewhere (the record id,
 * bound by what SQS takes as a batch entry id).
 */
export function largestBodyBytes(
  schema: unknown,
  fixed: Readonly<Record<string, number>> = {},
): BodyBound {
  const unbounded: SchemaProblem[] = [];
  const bytes = bound(schema, [], unbounded, fixed);
  return unbounded.length > 0 ? { unbounded } : { bytes };
}

function bound(
  node: unknown,
  at: (string | number)[],
  unbounded: SchemaProblem[],
  fixed: Readonly<Record<string, number>> = {},
): number {
  if (!node || typeof node !== 'object' || Array.isArray(node)) {
    unbounded.push({ path: at, message: 'accepts any value: declare its type' });
    return 0;
  }
  const s = node as Record<string, unknown>;
  if (Array.isArray(s.enum))
    return Math.max(0, ...s.enum.map((v) => Buffer.byteLength(JSON.stringify(v) ?? '')));
  const branches = (key: string) =>
    Array.isArray(s[key])
      ? (s[key] as unknown[]).map((sub, i) => bound(sub, [...at, key, i], unbounded))
      : [];
  if (Array.isArray(s.allOf) && s.type === undefined) {
    // A value must pass every branch: the smallest bounded branch bounds it.
    const local: SchemaProblem[] = [];
    const sizes = (s.allOf as unknown[]).map((sub, i) => {
      const mine: SchemaProblem[] = [];
      const size = bound(sub, [...at, 'allOf', i], mine);
      local.push(...mine);
      return mine.length === 0 ? size : Infinity;
    });
    const best = Math.min(...sizes);
    if (best === Infinity) unbounded.push(...local);
    return best === Infinity ? 0 : best;
  }
  if (s.type === undefined && (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)))
    return Math.max(0, ...branches('anyOf'), ...branches('oneOf'));
  const types = s.type === undefined ? [] : ([] as unknown[]).concat(s.type);
  if (types.length === 0) {
    unbounded.push({ path: at, message: 'accepts any value: declare its type' });
    return 0;
  }
  return Math.max(
    ...types.map((type) => {
      switch (type) {
        case 'null':
          return 4;
        case 'boolean':
          return 5;
        case 'integer':
          return typeof s.minimum === 'number' && typeof s.maximum === 'number'
            ? Math.max(String(Math.trunc(s.minimum)).length, String(Math.trunc(s.maximum)).length)
            : MAX_NUMBER_CHARS;
        case 'number':
          return MAX_NUMBER_CHARS;
        case 'string':
          if (typeof s.maxLength !== 'number') {
            unbounded.push({
              path: [...at, 'maxLength'],
              message: 'is missing: a string needs a maxLength (or an enum) to bound the body',
            });
            return 0;
          }
          return 2 + s.maxLength * MAX_BYTES_PER_CHAR;
        case 'array': {
          if (typeof s.maxItems !== 'number') {
            unbounded.push({
              path: [...at, 'maxItems'],
              message: 'is missing: an array needs a maxItems to bound the body',
            });
            return 0;
          }
          const item = Array.isArray(s.items)
            ? Math.max(0, ...s.items.map((sub, i) => bound(sub, [...at, 'items', i], unbounded)))
            : bound(s.items, [...at, 'items'], unbounded);
          return 2 + s.maxItems * item + Math.max(0, s.maxItems - 1);
        }
        case 'object': {
          if (s.additionalProperties !== false) {
            unbounded.push({
              path: [...at, 'additionalProperties'],
              message: 'must be false: undeclared properties leave the body unbounded',
            });
            return 0;
          }
          const properties = Object.entries((s.properties ?? {}) as Record<string, unknown>);
          const members = properties.map(
            ([name, sub]) =>
              JSON.stringify(name).length +
              1 +
              (fixed[name] ?? bound(sub, [...at, 'properties', name], unbounded)),
          );
          return 2 + members.reduce((a, b) => a + b, 0) + Math.max(0, members.length - 1);
        }
        default:
          return 0;
      }
    }),
  );
}
