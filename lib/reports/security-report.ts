import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleDescriptor } from '../../policies/rules-run';
import { ACCESS_PATHS_MD } from './access-paths-report';
import type { ReportContext } from './index';
import { PackResult, readSecurityResults, SecurityFinding } from './security-findings';

export const SECURITY_REPORT_FILE = 'security-report.md';

/**
 * `cdk.out/security-report.md`: what security reads before a deploy. Per pack, the rules that
 * ran, every open finding, and every acknowledgment with its path, reason and reference.
 */
export function writeSecurityReport(ctx: ReportContext): string[] {
  const results = readSecurityResults(ctx);
  const open = results.packs.reduce((n, p) => n + p.findings.length, 0);
  const acked = results.packs.reduce((n, p) => n + p.acknowledged.length, 0);
  const lines = [
    `# Security report: ${ctx.blueprint.enterprise} (${ctx.blueprint.environment})`,
    '',
    results.validated
      ? `${open === 0 ? 'Passed' : 'Failed'}: ${count(open, 'open finding')}, ${count(acked, 'acknowledged finding')}, from ${count(results.packs.length, 'pack')}. Source: \`validation-report.json\`.`
      : 'No `validation-report.json` was written: validation did not run on this synth.',
    '',
    ...accessPathsLine(ctx),
    '| pack | rules run | open findings | acknowledged |',
    '| --- | --- | --- | --- |',
    ...results.packs.map(
      (p) => `| ${p.name} | ${p.rules.length} | ${p.findings.length} | ${p.acknowledged.length} |`,
    ),
  ];
  for (const pack of results.packs) lines.push('', ...packSection(pack));
  fs.writeFileSync(path.join(ctx.outdir, SECURITY_REPORT_FILE), lines.join('\n') + '\n');
  return [SECURITY_REPORT_FILE];
}

/** One line on the access paths (a simulation), linking the page that lists them. */
function accessPathsLine(ctx: ReportContext): string[] {
  const report = ctx.security?.accessPaths?.report;
  if (!report) return [];
  const s = report.summary;
  const engine = `${report.engine.name}${report.engine.version ? ` ${report.engine.version}` : ''}`;
  const line = report.evaluated
    ? `Access paths (a simulation by ${engine}): ${s.passed} of ${s.total} as expected, ${s.failed} failed, ${s.notEvaluated ?? 0} not evaluated. See [${ACCESS_PATHS_MD}](${ACCESS_PATHS_MD}).`
    : `Access paths: not evaluated (${report.notEvaluatedReason}). See [${ACCESS_PATHS_MD}](${ACCESS_PATHS_MD}).`;
  return [line, ''];
}

function packSection(pack: PackResult): string[] {
  const out = [`## ${pack.name}`, ''];
  out.push(`### Open findings (${pack.findings.length})`, '');
  if (pack.findings.length === 0) out.push('None.');
  else {
    out.push(
      '| finding | severity | construct | template | fix |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const f of pack.findings) {
      out.push(
        // A finding at no construct (an access path, which crosses stacks) says what it is there.
        `| \`${cell(f.findingId)}\` | ${f.severity} | ${f.constructPath ? `\`${cell(f.constructPath)}\`` : cell(f.description)} | ${where(f)} | ${cell(f.fix ?? '')} |`,
      );
    }
  }
  out.push('', `### Acknowledgments (${pack.acknowledged.length})`, '');
  if (pack.acknowledged.length === 0) out.push('None.');
  else {
    out.push('| finding | construct | reason | reference |', '| --- | --- | --- | --- |');
    for (const f of pack.acknowledged) {
      out.push(
        `| \`${cell(f.findingId)}\` | \`${cell(f.constructPath)}\` | ${cell(f.acknowledgment?.reason ?? '')} | ${f.acknowledgment?.reference ?? ''} |`,
      );
    }
  }
  out.push(
    '',
    `### Rules run (${pack.rules.length})`,
    '',
    '| rule | level | checks |',
    '| --- | --- | --- |',
  );
  for (const rule of pack.rules)
    out.push(`| \`${rule.id}\` | ${rule.level} | ${cell(firstSentence(rule))} |`);
  return out;
}

function where(f: SecurityFinding): string {
  if (!f.templateFile) return '';
  return `\`${f.templateFile}${f.line ? `:${f.line}` : ''}\`${f.logicalId ? ` (${f.logicalId})` : ''}`;
}

function firstSentence(rule: RuleDescriptor): string {
  return rule.info.split(/(?<=\.)\s/)[0];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
