import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/** The file the access-path evaluation writes on every synth. */
export const ACCESS_PATHS_FILE = 'access-paths.json';

const AccessPath = z.looseObject({
  id: z.string(),
  phase: z.string(),
  expect: z.string(),
  description: z.string(),
  principal: z.string(),
  action: z.string(),
  resource: z.string(),
  stacks: z.array(z.string()).default([]),
  decision: z.string(),
  pass: z.boolean(),
  decidingStatements: z
    .array(z.looseObject({ policy: z.string().optional(), sid: z.string().optional() }))
    .default([]),
});

/** The part of `access-paths.json` the page reads (extra fields are allowed and kept). */
export const AccessPathsReport = z.looseObject({
  simulation: z.boolean(),
  engine: z.looseObject({ name: z.string(), version: z.string() }),
  evaluated: z.boolean(),
  notEvaluatedReason: z.string().optional(),
  summary: z.looseObject({ total: z.number(), passed: z.number(), failed: z.number() }),
  paths: z.array(AccessPath),
});

export type AccessPathsReport = z.infer<typeof AccessPathsReport>;

/** What the page knows of the access paths. */
export type AccessPathsRead =
  | { readonly state: 'absent' }
  | { readonly state: 'unreadable'; readonly problem: string }
  | { readonly state: 'read'; readonly report: AccessPathsReport };

/** Reads `access-paths.json` from the cloud assembly directory when it is there. */
export function readAccessPaths(outdir: string): AccessPathsRead {
  const file = path.join(outdir, ACCESS_PATHS_FILE);
  if (!fs.existsSync(file)) return { state: 'absent' };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { state: 'unreadable', problem: (e as Error).message };
  }
  const parsed = AccessPathsReport.safeParse(json);
  if (!parsed.success) {
    return {
      state: 'unreadable',
      problem: parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; '),
    };
  }
  return { state: 'read', report: parsed.data };
}
