import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Who reads each file synth leaves in `cdk.out`, one line each: what the synth summary prints
 * and the README's "What lands in cdk.out" table says at more length.
 */
export const REPORT_READERS: Readonly<Record<string, string>> = {
  'office-zones.html':
    'everyone: the architecture, cost, security and the door on one page (open it in a browser)',
  'cost-attribution.csv': 'finance: every resource with its zone, product, cost centre and owner',
  'cost-attribution.md': 'finance: tag coverage, resources by zone and cost centre, budgets',
  'security-report.md': 'security: per pack the rules run, open findings and acknowledgments',
  'security-report.sarif': 'code-scanning tools: the same findings as SARIF 2.1.0',
  'validation-report.json':
    "security and tools: aws-cdk-lib's validation report (cdk-nag, schemas)",
  'access-paths.json': 'security and tools: each access path AWS needs, with its IAM decision',
  'access-paths.md': 'security: the access paths and their decisions, to read',
  'broker-manifest.json':
    'the IT integration team and the operations CLI: scopes, routes, consumers',
  'broker-openapi.json': 'partners: the OpenAPI 3 contract of the broker',
};

/**
 * The summary printed after a successful synth: each report written, one line each, with who it
 * is for. Files without an entry in {@link REPORT_READERS} are listed without one.
 */
export function synthSummary(outdir: string, written: readonly string[]): string {
  const files = [
    ...new Set([
      ...written,
      ...(fs.existsSync(path.join(outdir, 'validation-report.json'))
        ? ['validation-report.json']
        : []),
    ]),
  ].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const relative = path.relative(process.cwd(), outdir);
  const where = relative && !relative.startsWith('..') ? relative : outdir;
  const width = Math.max(...files.map((f) => f.length));
  return [
    `Office Zones reports in ${where}:`,
    ...files.map((f) => `  ${f.padEnd(width)}  ${REPORT_READERS[f] ?? ''}`.trimEnd()),
    '',
  ].join('\n');
}

/** The page first, then the order of the table. */
function order(file: string): number {
  const i = Object.keys(REPORT_READERS).indexOf(file);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
