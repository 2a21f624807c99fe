import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleDescriptor } from '../../policies/rules-run';
import type { ReportContext } from './index';
import { readSecurityResults, SecurityFinding } from './security-findings';

export const SECURITY_SARIF_FILE = 'security-report.sarif';

const INFORMATION_URI: Record<string, string> = {
  AwsSolutions: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md',
};

/**
 * `cdk.out/security-report.sarif`: the same findings as SARIF 2.1.0 for code-scanning tools.
 * One run per pack, one rule per rule the pack ran (with its help text), one result per finding
 * located at its template (relative to the repository, as `%SRCROOT%`) and its construct path;
 * acknowledged findings carry a suppression with the reason.
 */
export function writeSecuritySarif(ctx: ReportContext): string[] {
  const results = readSecurityResults(ctx);
  const assemblyDir = path.basename(ctx.outdir);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: results.packs.map((pack) => {
      const ruleIndex = new Map(pack.rules.map((r, i) => [r.id, i]));
      const result = (f: SecurityFinding) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: level(f.severity),
        message: { text: `${f.findingId} at ${f.constructPath}: ${f.description}` },
        locations: [
          {
            ...(f.templateFile
              ? {
                  physicalLocation: {
                    artifactLocation: {
                      uri: `${assemblyDir}/${f.templateFile.split(path.sep).join('/')}`,
                      uriBaseId: '%SRCROOT%',
                    },
                    ...(f.line ? { region: { startLine: f.line } } : {}),
                  },
                }
              : {}),
            logicalLocations: [{ fullyQualifiedName: f.constructPath, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'findingId/v1': `${f.findingId}|${f.constructPath}` },
        properties: {
          findingId: f.findingId,
          ...(f.logicalId ? { logicalId: f.logicalId } : {}),
        },
        ...(f.acknowledgment
          ? {
              suppressions: [
                {
                  kind: 'inSource',
                  status: 'accepted',
                  justification: f.acknowledgment.reason,
                  ...(f.acknowledgment.acknowledgedAt
                    ? {
                        location: {
                          logicalLocations: [
                            { fullyQualifiedName: f.acknowledgment.acknowledgedAt },
                          ],
                        },
                      }
                    : {}),
                },
              ],
            }
          : {}),
      });
      return {
        tool: {
          driver: {
            name: pack.name,
            ...(pack.version ? { version: pack.version } : {}),
            ...(INFORMATION_URI[pack.name] ? { informationUri: INFORMATION_URI[pack.name] } : {}),
            rules: pack.rules.map(rule),
          },
        },
        results: [...pack.findings, ...pack.acknowledged].map(result),
      };
    }),
  };
  fs.writeFileSync(
    path.join(ctx.outdir, SECURITY_SARIF_FILE),
    JSON.stringify(sarif, null, 2) + '\n',
  );
  return [SECURITY_SARIF_FILE];
}

function rule(r: RuleDescriptor) {
  const help = r.fix ? `${r.explanation}\n\nFix: ${r.fix}` : r.explanation;
  return {
    id: r.id,
    ...(r.name ? { name: r.name } : {}),
    shortDescription: { text: r.info },
    fullDescription: { text: r.explanation },
    help: { text: help },
    defaultConfiguration: { level: level(r.level) },
  };
}

/** SARIF levels from cdk-nag levels and validation-report severities. */
function level(severity: string): 'error' | 'warning' | 'note' {
  const s = severity.toLowerCase();
  if (s === 'error' || s === 'fatal') return 'error';
  if (s === 'info') return 'note';
  return 'warning';
}
