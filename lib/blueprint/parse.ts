import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
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
}

/** A blueprint that cannot be built. Its message lists every problem, one a line. */
export class BlueprintError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly BlueprintProblem[],
  ) {
    super(
      `${source} is not a valid Office Zones blueprint (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.path}: ${p.message} (received: ${p.received})`).join('\n'),
    );
    this.name = 'BlueprintError';
  }
}

/**
 * Validates a blueprint and fills in its defaults. Collects every problem, structural and
 * semantic, and throws one `BlueprintError` listing them all.
 */
export function parseBlueprint(input: unknown, source = 'the blueprint'): Blueprint {
  const result = BlueprintSchema.safeParse(input);
  const problems: BlueprintProblem[] = [];
  const seen = new Set<string>();
  const report = (at: PropertyKey[], message: string) => {
    const key = `${formatPath(at)}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ path: formatPath(at), message, received: receivedAt(input, at) });
  };
  for (const issue of result.error?.issues ?? []) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) report([...issue.path, key], 'is not a known key');
    } else {
      report(issue.path, messageOf(issue, valueAt(input, issue.path)));
    }
  }
  // A value already reported for its shape is not reported again for what it means.
  const structural = new Set(problems.map((p) => p.path));
  for (const problem of checkBlueprintRules(input)) {
    if (!structural.has(formatPath(problem.path))) report(problem.path, problem.message);
  }
  if (problems.length > 0 || !result.success) throw new BlueprintError(source, problems);
  return result.data;
}

/** Reads a blueprint from a `.json`, `.yaml` or `.yml` file and parses it. */
export function loadBlueprintFile(file: string): Blueprint {
  const source = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    throw new BlueprintError(source, [
      { path: '(file)', message: `cannot be read: ${reason}`, received: JSON.stringify(file) },
    ]);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    const detail = (e as Error).message.split('\n')[0];
    throw new BlueprintError(source, [
      {
        path: '(file)',
        message: `is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${detail}`,
        received: 'unparseable text',
      },
    ]);
  }
  return parseBlueprint(data, source);
}

function messageOf(issue: z.core.$ZodIssue, received: unknown): string {
  if (issue.code === 'invalid_type') {
    const noun = `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    return received === undefined ? `is required (${noun})` : `must be ${noun}`;
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

function receivedAt(input: unknown, at: readonly PropertyKey[]): string {
  const value = valueAt(input, at);
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
