import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
  Token,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { EngineLoader } from './engine';
import { evaluateAccessPaths } from './evaluate';
import type {
  AccessPathReport,
  AccessPathResult,
  AccessPathSettings,
  AccessPathZone,
  StackTemplate,
} from './model';

/** The plugin's name: the namespace of its findings in `validation-report.json`. */
export const ACCESS_PATHS_PLUGIN = 'OfficeZonesAccessPaths';

export interface AccessPathChecksProps {
  readonly settings: AccessPathSettings;
  /** The zone of the stack that holds a construct; undefined for a stack outside the blueprint. */
  readonly zoneOf: (construct: IConstruct) => AccessPathZone | undefined;
  /**
   * Finds the IAM engine.
   * @default - `@cloud-copilot/iam-simulate` when it is installed
   */
  readonly loadEngine?: EngineLoader;
  /**
   * Where the one line goes that says the engine is not installed.
   * @default - standard error
   */
  readonly log?: (line: string) => void;
}

/**
 * Evaluates every access path of the synthesized templates on every synth, as an aws-cdk-lib
 * policy validation plugin: a must-allow path denied or a must-deny path allowed is a finding
 * (`OfficeZonesAccessPaths::<path id>`), fails synth like a boundary finding and shows in
 * `validation-report.json`, naming principal, action, resource and the deciding statements.
 * The last report stays on the plugin for the report writer (`cdk.out/access-paths.{json,md}`).
 */
export class AccessPathChecks implements IPolicyValidationPlugin {
  readonly name = ACCESS_PATHS_PLUGIN;
  /** The evaluation of the last synth, once it has run. */
  report?: AccessPathReport;
  private readonly props: AccessPathChecksProps;

  constructor(props: AccessPathChecksProps) {
    this.props = props;
  }

  get version(): string | undefined {
    return this.report?.engine.version ?? undefined;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = stackTemplates(context, this.props.zoneOf);
    const report = evaluateAccessPaths(stacks, this.props.settings, {
      loadEngine: this.props.loadEngine,
    });
    this.report = report;
    if (!report.evaluated)
      (this.props.log ?? ((l) => process.stderr.write(`${l}\n`)))(report.notEvaluatedReason!);
    const templateOf = new Map(stacks.map((s) => [s.stackName, s.templatePath]));
    const violations: PolicyViolation[] = report.paths
      .filter((p) => !p.pass)
      .map((p) => ({
        ruleName: p.id,
        description: describeFailure(p),
        fix:
          p.expect === 'allow'
            ? 'Admit the principal in the policy that denies it (or grant what it lacks), for exactly this action and resource.'
            : 'Deny the principal in the resource policy (or take away the grant) so that only the intended door remains.',
        severity: 'error',
        violatingResources: p.stacks.map((s) => ({
          templatePath: templateOf.get(s) ?? s,
          locations: [],
        })),
      }));
    return {
      success: violations.length === 0,
      violations,
      pluginVersion: report.engine.version ?? undefined,
      metadata: {
        simulation: 'true',
        evaluated: String(report.evaluated),
        paths: String(report.summary.total),
        failed: String(report.summary.failed),
      },
    };
  }
}

/** One line that names principal, action, resource, decision and the deciding statements. */
export function describeFailure(p: AccessPathResult): string {
  const who =
    p.principal.kind === 'role'
      ? p.principal.arn + (p.principal.via ? ` via ${p.principal.via}` : '')
      : p.principal.service;
  const by = p.decidingStatements.map((d) => `${d.policy} [${d.sid}]`).join('; ');
  return `${p.description}: expected ${p.expect}, got ${p.decision}${p.error ? ` (${p.error})` : ''}. principal ${who}; action ${p.action}; resource ${p.resource}${by ? `; decided by ${by}` : ''}${p.note ? `; ${p.note}` : ''}. (simulation)`;
}

interface LocatedStack extends StackTemplate {
  readonly templatePath: string;
}

function stackTemplates(
  context: IPolicyValidationContext,
  zoneOf: (c: IConstruct) => AccessPathZone | undefined,
): LocatedStack[] {
  const stacks = context.appConstruct.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const out: LocatedStack[] = [];
  for (const templatePath of context.templatePaths) {
    const file = path.basename(templatePath);
    const stack = stacks.find((s) => s.templateFile === file);
    if (!stack) continue;
    out.push({
      stackName: stack.stackName,
      zone: zoneOf(stack),
      template: JSON.parse(fs.readFileSync(templatePath, 'utf8')),
      tags: stack.tags.tagValues(),
      templatePath,
      // A stack with an explicit env is simulated in its own account and region.
      ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }),
      ...(Token.isUnresolved(stack.region) ? {} : { region: stack.region }),
    });
  }
  return out;
}
