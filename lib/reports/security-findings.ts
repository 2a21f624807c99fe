import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleDescriptor } from '../../policies/rules-run';
import type { ReportContext } from './index';

/** The file aws-cdk-lib writes on every synth that runs a validation plugin. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

/** Where a finding is, in the construct tree and in the cloud assembly. */
export interface FindingLocation {
  readonly constructPath: string;
  /** The template, relative to the cloud assembly directory. */
  readonly templateFile?: string;
  readonly logicalId?: string;
  /** The line of the resource in the template (1-based). */
  readonly line?: number;
}

export interface SecurityFinding extends FindingLocation {
  /** The rule the finding belongs to, e.g. `AwsSolutions-IAM5`. */
  readonly ruleId: string;
  /** The exact finding, e.g. `AwsSolutions-IAM5[Resource::*]`: what an acknowledgment names. */
  readonly findingId: string;
  readonly severity: string;
  readonly description: string;
  readonly fix?: string;
  /** Set when the finding is acknowledged. */
  readonly acknowledgment?: {
    readonly reason: string;
    readonly reference?: string;
    readonly acknowledgedAt?: string;
  };
}

/** One pack (validation plugin) as security reads it. */
export interface PackResult {
  readonly name: string;
  readonly version?: string;
  /** Every rule the pack ran; for plugins that do not say, the rules their findings name. */
  readonly rules: readonly RuleDescriptor[];
  readonly findings: readonly SecurityFinding[];
  readonly acknowledged: readonly SecurityFinding[];
}

export interface SecurityResults {
  /** Whether `validation-report.json` was there to read. */
  readonly validated: boolean;
  readonly packs: readonly PackResult[];
}

interface ReportJson {
  pluginReports?: {
    pluginName: string;
    pluginVersion?: string;
    violations?: ViolationJson[];
    suppressedViolations?: (ViolationJson & {
      reason?: string;
      acknowledgedAt?: string;
    })[];
  }[];
}

interface ViolationJson {
  ruleName: string;
  description: string;
  suggestedFix?: string;
  severity?: string;
  customSeverity?: string;
  violatingConstructs?: {
    constructPath: string;
    cloudFormationResource?: { templatePath: string; logicalId: string };
  }[];
}

const REFERENCE = /\(ref ([A-Z][A-Z0-9]*-[0-9]+)\)$/;

/**
 * Reads what security needs from the cloud assembly: `validation-report.json` (findings and
 * acknowledgments of every plugin), the manifest (where each construct is in which template),
 * and the packs' own record of the rules they ran.
 */
export function readSecurityResults(ctx: ReportContext): SecurityResults {
  const reportFile = path.join(ctx.outdir, VALIDATION_REPORT_FILE);
  const reportText = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : undefined;
  const manifestFile = path.join(ctx.outdir, 'manifest.json');
  const manifestText = fs.existsSync(manifestFile) ? fs.readFileSync(manifestFile, 'utf8') : '';
  // The security report, its SARIF, the page and the gate each read the results of one synth:
  // read once, as long as the output directory, its validation report and manifest are the same.
  const owner = ctx.security ?? NO_SECURITY;
  const kept = lastRead.get(owner);
  if (
    kept?.outdir === ctx.outdir &&
    kept.reportText === reportText &&
    kept.manifestText === manifestText
  )
    return kept.results;
  const results = securityResults(ctx, reportText);
  lastRead.set(owner, { outdir: ctx.outdir, reportText, manifestText, results });
  return results;
}

/** The results last read for each synth's security checks ({@link readSecurityResults}). */
const lastRead = new WeakMap<
  object,
  { outdir: string; reportText?: string; manifestText: string; results: SecurityResults }
>();
const NO_SECURITY = {};

function securityResults(ctx: ReportContext, reportText: string | undefined): SecurityResults {
  const report: ReportJson = reportText !== undefined ? JSON.parse(reportText) : {};
  const locate = locator(ctx.outdir);
  const plugins = report.pluginReports ?? [];
  const names = [
    ...(ctx.security?.packs.map((p) => p.name) ?? []),
    ...plugins.map((p) => p.pluginName),
  ].filter((name, i, all) => all.indexOf(name) === i);

  const packs = names.map((name): PackResult => {
    const plugin = plugins.find((p) => p.pluginName === name);
    const recorded = ctx.security?.packs.find((p) => p.name === name)?.rulesRun() ?? [];
    const fixOf = (ruleId: string) => {
      const rule = recorded.find((r) => r.id === ruleId);
      return rule ? (rule.fix ?? rule.explanation) : undefined;
    };
    const toFindings = (
      list: (ViolationJson & { reason?: string; acknowledgedAt?: string })[] | undefined,
      acknowledged: boolean,
    ) =>
      (list ?? []).flatMap((v) =>
        (v.violatingConstructs ?? []).map((c): SecurityFinding => ({
          ...locate(c.constructPath, c.cloudFormationResource),
          ruleId: v.ruleName.replace(/\[.*\]$/s, ''),
          findingId: v.ruleName,
          severity:
            v.severity === 'custom' ? (v.customSeverity ?? 'warning') : (v.severity ?? 'error'),
          description: v.description,
          // cdk-nag gives no suggested fix; the rule's own fix, else its explanation, says what to do.
          fix: v.suggestedFix || fixOf(v.ruleName.replace(/\[.*\]$/s, '')),
          acknowledgment: acknowledged
            ? {
                reason: v.reason ?? '',
                reference: REFERENCE.exec(v.reason ?? '')?.[1],
                acknowledgedAt: v.acknowledgedAt,
              }
            : undefined,
        })),
      );
    const findings = distinct(toFindings(plugin?.violations, false));
    const acknowledged = distinct(toFindings(plugin?.suppressedViolations, true));
    const rules = [...recorded];
    for (const f of [...findings, ...acknowledged]) {
      if (!rules.some((r) => r.id === f.ruleId)) {
        rules.push({
          id: f.ruleId,
          level: (f.severity === 'error' ? 'Error' : 'Warning') as RuleDescriptor['level'],
          info: f.description,
          explanation: f.description,
          fix: f.fix,
        });
      }
    }
    return { name, version: plugin?.pluginVersion, rules, findings, acknowledged };
  });
  return { validated: reportText !== undefined, packs };
}

/**
 * The findings with each finding at each place once. A violation whose resources aws-cdk-lib
 * cannot place in the construct tree (an access path names the stacks it crosses, not a
 * resource) comes with one empty construct per resource: one finding, not one per stack.
 */
function distinct(findings: SecurityFinding[]): SecurityFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.findingId, f.constructPath, f.templateFile, f.logicalId]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The parts of a cloud assembly manifest artifact that locate findings. */
interface ManifestArtifact {
  type: string;
  properties?: { templateFile?: string; directoryName?: string };
  metadata?: Record<string, { type: string; data: unknown }[]>;
  additionalMetadataFile?: string;
}

/** Maps construct paths to templates and logical ids, from the cloud assembly's manifest. */
function locator(outdir: string) {
  const byPath = new Map<string, { templateFile: string; logicalId?: string }>();
  const visit = (dir: string, prefix: string) => {
    const manifestFile = path.join(dir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) return;
    const manifest: { artifacts?: Record<string, ManifestArtifact> } = JSON.parse(
      fs.readFileSync(manifestFile, 'utf8'),
    );
    for (const artifact of Object.values(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        visit(
          path.join(dir, artifact.properties.directoryName),
          path.join(prefix, artifact.properties.directoryName),
        );
        continue;
      }
      if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
        continue;
      }
      const templateFile = path.join(prefix, artifact.properties.templateFile);
      const metadata: Record<string, { type: string; data: unknown }[]> = {
        ...(artifact.metadata ?? {}),
        ...(artifact.additionalMetadataFile
          ? JSON.parse(fs.readFileSync(path.join(dir, artifact.additionalMetadataFile), 'utf8'))
          : {}),
      };
      for (const [key, entries] of Object.entries(metadata)) {
        const constructPath = key.replace(/^\//, '');
        const logical = entries.find((e) => e.type === 'aws:cdk:logicalId');
        if (logical) byPath.set(constructPath, { templateFile, logicalId: String(logical.data) });
        else if (entries.some((e) => e.type === 'aws:cdk:templateFile')) {
          byPath.set(constructPath, { templateFile });
        }
      }
    }
  };
  visit(outdir, '');
  const lines = new Map<string, string[]>();
  const lineOf = (templateFile: string, logicalId: string): number | undefined => {
    if (!lines.has(templateFile)) {
      const file = path.join(outdir, templateFile);
      lines.set(templateFile, fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : []);
    }
    const index = lines.get(templateFile)!.findIndex((l) => l.trim() === `"${logicalId}": {`);
    return index >= 0 ? index + 1 : undefined;
  };

  return (
    constructPath: string,
    resource?: { templatePath: string; logicalId: string },
  ): FindingLocation => {
    let found = resource
      ? { templateFile: resource.templatePath, logicalId: resource.logicalId }
      : byPath.get(constructPath);
    // A finding on a construct above its resource (a stack, an L2) is located in that template.
    for (let p = constructPath; !found && p.includes('/');) {
      p = p.slice(0, p.lastIndexOf('/'));
      const parent = byPath.get(p);
      if (parent) found = { templateFile: parent.templateFile };
    }
    if (!found) return { constructPath };
    const line = found.logicalId ? lineOf(found.templateFile, found.logicalId) : undefined;
    return { constructPath, ...found, line };
  };
}
