import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stage } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  Blueprint,
  BlueprintInput,
  environmentBlueprints,
  loadBlueprintFile,
  physicalNamePrefix,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../blueprint';
import { writeReports } from '../reports';
import { checkRegions } from './regions';
import { cacheCloudFormationValidation, startValidatorAhead } from './validation-cache';
import { layoutOfficeZonesPageAhead } from '../reports/office-zones-page';
import { readSecurityResults } from '../reports/security-findings';
import {
  formatLimitProblem,
  LimitProblem,
  limitProblems,
  synthesizedTemplates,
} from '../stacks/limits';
import { deliveryStackName } from '../blueprint/names';
import type { DeliveryPipelineStack } from '../stacks/delivery-pipeline-stack';
import { buildOfficeZones, OfficeZonesStacks } from '../stacks/office-zones';
import {
  registerAccessPathChecks,
  registerSecurityPacks,
  SecurityChecks,
} from '../stacks/security';

/** What to synthesize and where. */
export interface SynthOfficeZonesOptions {
  /**
   * The blueprint as an object (typed as `BlueprintInput`, or already parsed), checked like a file.
   * Give this or `blueprintFile`, not both. A blueprint with `delivery` must be given as a file:
   * its pipeline synthesizes the same file from the repository.
   * @default - the reference blueprint (Northwind Retail), unless `blueprintFile` is given
   */
  readonly blueprint?: BlueprintInput;
  /**
   * A blueprint file (`.json`, `.yaml` or `.yml`), relative to the working directory.
   * @default - `blueprint`
   */
  readonly blueprintFile?: string;
  /**
   * The app to build the stacks in. Its `outdir` receives the templates and the reports.
   * @default - a new `App`, which takes its output directory and context from the CDK CLI, with
   *   aws-cdk-lib's generic 500-resource check off (`@aws-cdk/core:stackResourceLimit: 0`) in favour
   *   of Office Zones' own limit check, which names the cause and the fix
   */
  readonly app?: App;
  /**
   * Registers the security gate (cdk-nag's AwsSolutions and the Office Zones boundary pack):
   * any unacknowledged finding then fails synth.
   * @default true
   */
  readonly securityGate?: boolean;
}

/** One environment of a synthesis: its blueprint, where its stacks are, what checked them. */
export interface OfficeZonesEnvironment {
  /** The blueprint of this environment (`environment` and `region` set to its own). */
  readonly blueprint: Blueprint;
  /**
   * The stage that holds the environment's stacks: the app itself without `environments`, else
   * the environment's own stage, named `<stackPrefix>-<environment>`.
   */
  readonly stage: Stage;
  readonly stacks: OfficeZonesStacks;
  /** The security packs that ran on this environment's stacks; absent without the gate. */
  readonly security?: SecurityChecks;
  /**
   * The directory of the environment's reports: the app's `outdir` without `environments`, else
   * the stage's cloud assembly directory (`cdk.out/assembly-<stackPrefix>-<environment>`).
   */
  readonly outdir: string;
}

/** What a synthesis built and wrote. */
export interface OfficeZonesSynthesis {
  readonly app: App;
  /** The blueprint as parsed; with `environments`, `environment` is the first one's. */
  readonly blueprint: Blueprint;
  /** The stacks of the (first) environment. */
  readonly stacks: OfficeZonesStacks;
  /**
   * The delivery pipeline's stack, top-level in the app (`<stackPrefix>-Delivery`); only when the
   * blueprint has `delivery`.
   */
  readonly delivery?: DeliveryPipelineStack;
  /** The security packs that ran on the (first) environment; absent without the gate. */
  readonly security?: SecurityChecks;
  /** Every environment built, in the blueprint's order: one without `environments`. */
  readonly environments: readonly OfficeZonesEnvironment[];
  /** The cloud assembly: the templates and `validation-report.json`. */
  readonly assembly: CloudAssembly;
  /** The reports written next to the templates, as file names relative to `app.outdir`. */
  readonly reports: readonly string[];
}

/** The security gate refused a synth: findings that are not acknowledged, warnings included. */
export class SecurityGateError extends Error {
  constructor(
    readonly findings: readonly {
      readonly findingId: string;
      readonly severity: string;
      readonly constructPath: string;
      readonly description?: string;
      readonly fix?: string;
    }[],
  ) {
    super(
      `the security gate found ${findings.length} unacknowledged finding${findings.length === 1 ? '' : 's'} (warnings fail too; see security-report.md):\n` +
        findings
          .map(
            (f) =>
              // A finding at a construct names the construct; one that is at none (an access path,
              // which crosses stacks) says what it is: principal, action, resource, decision and
              // the deciding statements.
              `  ${f.findingId} (${f.severity})${!f.constructPath && f.description ? `: ${f.description}` : ` at ${f.constructPath}`}${f.fix ? `\n    fix: ${f.fix}` : ''}`,
          )
          .join('\n'),
    );
    this.name = 'SecurityGateError';
  }
}

/**
 * The blueprint file the delivery pipeline synthesizes, relative to the repository root (the
 * working directory of `cdk synth`, where cdk.json is), with `/` separators.
 */
function deliveryBlueprintFile(blueprintFile: string | undefined): string {
  if (blueprintFile === undefined)
    throw new TypeError(
      'synthOfficeZones: the blueprint has delivery, whose pipeline runs `cdk synth -c blueprint=<file>` from the repository: give blueprintFile (the blueprint as a file in the repository), not a blueprint object',
    );
  const relative = path.relative(process.cwd(), path.resolve(blueprintFile));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    throw new TypeError(
      `synthOfficeZones: the blueprint has delivery, so its file must be inside the repository the pipeline checks out, under the working directory of cdk synth (received: ${blueprintFile})`,
    );
  return relative.split(path.sep).join('/');
}

/** The synthesized stacks exceed AWS limits (per stack, per SSM parameter or per account). */
export class LimitError extends Error {
  constructor(readonly problems: readonly LimitProblem[]) {
    super(
      `the stacks exceed ${problems.length === 1 ? 'an AWS limit' : `${problems.length} AWS limits`}:\n${problems.map((p) => `  ${formatLimitProblem(p)}`).join('\n')}`,
    );
    this.name = 'LimitError';
  }
}

/**
 * Builds a whole enterprise from a blueprint: every stack (`buildOfficeZones`), the security gate
 * (`registerSecurityChecks`), the delivery pipeline when the blueprint has `delivery`
 * (`DeliveryPipelineStack`, DEC-037), then synthesizes the app and writes the reports for finance,
 * security and IT into its output directory.
 *
 * The reports are written also when synth fails (a finding of the gate), so that a reviewer can
 * read why; the synth error is thrown after them.
 *
 * When the app runs aws-cdk-lib's CloudFormation validation (its default, unless `CDK_VALIDATION`
 * is `false`) and has no CloudFormation validation plugin of its own, the validation runs through
 * `CachedCloudFormationValidatePlugin`: the same report, with templates validated before read from
 * the project's cache (DEC-043). Register a `CloudFormationValidatePlugin` on the app before this
 * call to keep aws-cdk-lib's.
 *
 * @throws BlueprintError when the blueprint has problems (all of them, by path and value), before
 *   any stack is built
 * @throws TypeError when the blueprint has `delivery` but was given as an object, or its file is
 *   outside the working directory (the repository the pipeline checks out)
 * @throws SecurityGateError when the gate finds anything not acknowledged, warnings included
 *   (aws-cdk-lib itself fails synth on error-level findings only)
 * @throws LimitError when a stack, an SSM parameter or an account's quota would be exceeded
 *   (lib/stacks/limits.ts), whatever `CDK_VALIDATION` says
 */
export function synthOfficeZones(options: SynthOfficeZonesOptions = {}): OfficeZonesSynthesis {
  if (options.blueprint !== undefined && options.blueprintFile !== undefined)
    throw new TypeError('synthOfficeZones: give either blueprint or blueprintFile, not both');
  const blueprint =
    options.blueprintFile !== undefined
      ? loadBlueprintFile(options.blueprintFile)
      : options.blueprint !== undefined
        ? parseBlueprint(options.blueprint)
        : parseBlueprint(REFERENCE_BLUEPRINT, 'the reference blueprint');
  const repositoryFile = blueprint.delivery
    ? deliveryBlueprintFile(options.blueprintFile)
    : undefined;
  checkRegions(blueprint, options.blueprintFile ?? 'the blueprint');
  const app = options.app ?? new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  // The validator starts now, beside the building of the stacks, when the templates are likely
  // new to its cache (DEC-044).
  const ahead = startValidatorAhead(app, {
    blueprint,
    context: process.env.CDK_CONTEXT_JSON ?? null,
    gate: options.securityGate ?? true,
  });
  // One environment-agnostic environment in the app itself (the quick start), or one stage per
  // declared environment, each stack in its account and region (DEC-035).
  const gate = options.securityGate ?? true;
  const built = environmentBlueprints(blueprint).map((envBlueprint) => {
    const stage = blueprint.environments ? new Stage(app, physicalNamePrefix(envBlueprint)) : app;
    return { blueprint: envBlueprint, stage, stacks: buildOfficeZones(stage, envBlueprint) };
  });
  // cdk-nag's packs visit the whole app: registered once, knowing every environment; each
  // environment's access paths are evaluated on its own stage, in its accounts.
  const packs = gate
    ? registerSecurityPacks(
        built[0].stage,
        built.map((b) => b.blueprint),
      )
    : undefined;
  const environments = built.map((env) => ({
    ...env,
    security: packs
      ? { packs, accessPaths: registerAccessPathChecks(env.stage, env.blueprint) }
      : undefined,
  }));
  // The pipeline comes last: CDK Pipelines synthesizes each stage as it is added (DEC-037).
  const delivery =
    blueprint.delivery && blueprint.environments && repositoryFile !== undefined
      ? new (deliveryPipelineStack())(app, deliveryStackName(blueprint), {
          blueprint,
          delivery: blueprint.delivery,
          defaultRegion: environments[0].blueprint.region,
          blueprintFile: repositoryFile,
          targets: blueprint.environments.map((environment, i) => ({
            environment,
            stage: environments[i].stage,
          })),
        })
      : undefined;

  // Last, so that the validation report lists the plugins in aws-cdk-lib's order (DEC-043).
  cacheCloudFormationValidation(app, ahead);
  // The page's pictures depend on the blueprint alone: Graphviz lays them out while the templates
  // are made and checked (DEC-046).
  for (const env of environments) layoutOfficeZonesPageAhead(env.blueprint);
  let assembly: CloudAssembly | undefined;
  let synthError: unknown;
  try {
    assembly = app.synth();
    // AWS limits are checked whatever CDK_VALIDATION says: an over-limit template fails here,
    // not at deploy.
    const problems = limitProblems(
      synthesizedTemplates(assembly),
      blueprint.deployment.accountQuotas,
    );
    if (problems.length > 0) synthError = new LimitError(problems);
  } catch (e) {
    synthError = e;
  }
  const written: OfficeZonesEnvironment[] = [];
  const reports: string[] = [];
  try {
    for (const env of environments) {
      const outdir = env.stage === app ? app.outdir : env.stage.outdir;
      if (outdir !== app.outdir) {
        // Each environment's reports read the one validation report aws-cdk-lib writes.
        fs.mkdirSync(outdir, { recursive: true });
        const report = path.join(app.outdir, 'validation-report.json');
        if (fs.existsSync(report))
          fs.copyFileSync(report, path.join(outdir, 'validation-report.json'));
      }
      const files = writeReports({
        outdir,
        blueprint: env.blueprint,
        stacks: env.stacks,
        ...(env.security ? { security: env.security } : {}),
      });
      reports.push(...files.map((f) => path.relative(app.outdir, path.join(outdir, f))));
      written.push({ ...env, outdir });
    }
  } catch (e) {
    // A report that cannot be written after a failed synth is a consequence; say the cause.
    throw synthError ?? e;
  }
  if (synthError !== undefined || assembly === undefined) throw synthError;
  // aws-cdk-lib fails synth only on error-level findings; the gate fails on any finding that is
  // not acknowledged, warnings included, as the security report counts them. Each environment's
  // report reads the one validation report: a finding is counted once.
  const open = new Map<string, SecurityGateError['findings'][number]>();
  for (const env of written) {
    if (!env.security) continue;
    const results = readSecurityResults({
      outdir: env.outdir,
      blueprint: env.blueprint,
      stacks: env.stacks,
      security: env.security,
    });
    for (const f of results.packs.flatMap((pack) => pack.findings))
      open.set(`${f.findingId} ${f.constructPath}`, f);
  }
  if (open.size > 0) throw new SecurityGateError([...open.values()]);
  const first = written[0];
  return {
    app,
    blueprint,
    ...(delivery ? { delivery } : {}),
    stacks: first.stacks,
    ...(first.security ? { security: first.security } : {}),
    environments: written,
    assembly,
    reports,
  };
}

/**
 * The pipeline stack's class, loaded only for a blueprint with `delivery`: `aws-cdk-lib/pipelines`
 * takes some 0.4 s to load, a tenth of a reference synth that has no pipeline.
 */
function deliveryPipelineStack(): typeof DeliveryPipelineStack {
  return (
    require('../stacks/delivery-pipeline-stack') as typeof import('../stacks/delivery-pipeline-stack')
  ).DeliveryPipelineStack;
}
