import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccessPathReport, AccessPathResult } from '../../policies/access-paths/model';
import type { ReportContext } from './index';

export const ACCESS_PATHS_JSON = 'access-paths.json';
export const ACCESS_PATHS_MD = 'access-paths.md';

/** Reads `cdk.out/access-paths.json` when a synth wrote it. */
export function readAccessPaths(outdir: string): AccessPathsJson | undefined {
  const file = path.join(outdir, ACCESS_PATHS_JSON);
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as AccessPathsJson)
    : undefined;
}

/**
 * `cdk.out/access-paths.json` and `access-paths.md`: every access path the deploy and the running
 * system depend on, and every one that must stay closed, with the IAM engine's decision. Written
 * from the evaluation the security gate ran during synth; nothing when it did not run.
 */
export function writeAccessPaths(ctx: ReportContext): string[] {
  const report = ctx.security?.accessPaths?.report;
  if (!report) return [];
  fs.writeFileSync(
    path.join(ctx.outdir, ACCESS_PATHS_JSON),
    JSON.stringify(accessPathsJson(report), null, 2) + '\n',
  );
  fs.writeFileSync(
    path.join(ctx.outdir, ACCESS_PATHS_MD),
    accessPathsMarkdown(report, ctx.blueprint.enterprise),
  );
  return [ACCESS_PATHS_JSON, ACCESS_PATHS_MD];
}

/**
 * The report in the shared `access-paths.json` format: `principal` is one string (a role's ARN or
 * a service principal), with `principalKind`, `via`, `sourceArn` and `sourceAccount` beside it,
 * and the engine's `version` a string (`not installed` when it is not).
 */
export function accessPathsJson(report: AccessPathReport) {
  return {
    ...report,
    engine: { ...report.engine, version: report.engine.version ?? 'not installed' },
    paths: report.paths.map((p) => {
      const { principal, ...rest } = p;
      const detail =
        principal.kind === 'role'
          ? { principal: principal.arn, principalKind: 'role', via: principal.via }
          : {
              principal: principal.service,
              principalKind: 'service',
              sourceArn: principal.sourceArn,
              sourceAccount: principal.sourceAccount,
            };
      return { ...rest, ...detail };
    }),
  };
}

/** The report as `access-paths.json` has it. */
export type AccessPathsJson = ReturnType<typeof accessPathsJson>;

/** The reviewers' page: a plain statement of what this is, then every path by phase. */
export function accessPathsMarkdown(report: AccessPathReport, enterprise: string): string {
  const env = report.environment;
  const lines = [
    `# Access paths: ${enterprise}`,
    '',
    `**This is a simulation.** Nothing was deployed and no AWS API was called. Every synthesized template was read as one deployment ${env.accounts?.length ? `with each stack in the account and region its env names (accounts ${env.accounts.map((a) => `\`${a}\``).join(', ')}; a request between two of them is evaluated as cross-account)` : `in a simulated account (\`${env.account}\`) and region (\`${env.region}\`)`}, every intrinsic resolved into concrete ARNs there, and each access below was evaluated by ${report.engine.name}${report.engine.version ? ` ${report.engine.version}` : ''}, an IAM policy engine, over identity policies (inline and managed), trust policies, resource policies, permission boundaries and the service control policies of the principal's zone. A request carries only the context keys AWS documents its caller sending.`,
    '',
  ];
  if (!report.evaluated) {
    lines.push(`**Not evaluated:** ${report.notEvaluatedReason}`, '');
  } else {
    const s = report.summary;
    lines.push(
      `${s.failed === 0 ? 'Passed' : 'Failed'}: ${s.passed} of ${s.total} paths as expected, ${s.failed} failed, ${s.notEvaluated ?? 0} not evaluated (each listed below with the reason).`,
      '',
    );
  }
  lines.push('Service control policies by zone of the principal:', '');
  for (const [zone, names] of Object.entries(report.serviceControlPolicies))
    lines.push(
      `- ${zone}: ${names.length ? names.map((n) => `\`${n}\``).join(', ') : "none of Office Zones' (AWS's default FullAWSAccess only)"}`,
    );
  lines.push('');
  const phases: [string, (p: AccessPathResult) => boolean][] = [
    ['Deploy time: must allow', (p) => p.phase === 'deploy' && p.expect === 'allow'],
    ['Run time: must allow', (p) => p.phase === 'run' && p.expect === 'allow'],
    ['Must deny', (p) => p.expect === 'deny'],
  ];
  for (const [title, filter] of phases) {
    const paths = report.paths.filter(filter);
    lines.push(`## ${title} (${paths.length})`, '');
    if (paths.length === 0) {
      lines.push('None.', '');
      continue;
    }
    lines.push(
      '| | path | principal | action | resource | decision | deciding statements |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const p of paths) {
      const who =
        p.principal.kind === 'role'
          ? `${p.principal.arn.split('/').pop()}${p.principal.via ? ` via ${p.principal.via}` : ''}`
          : p.principal.service;
      const by =
        p.error ??
        (p.decidingStatements.map((d) => `${d.policy} [${d.sid}]`).join('; ') || p.note || '');
      lines.push(
        `| ${p.decision === 'NotEvaluated' ? '–' : p.pass ? 'ok' : '**FAIL**'} | \`${p.id}\`<br>${cell(p.description)} | \`${cell(who)}\` | \`${p.action}\` | \`${cell(p.resource)}\` | ${p.decision} | ${cell(by)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
