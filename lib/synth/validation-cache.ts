import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CloudFormationValidatePlugin, Stage, Validations } from 'aws-cdk-lib';
import type {
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { cachesOff, projectCacheDir } from '../../constructs/shared/cache-dir';

/**
 * aws-cdk-lib's CloudFormation validation (`@aws/cloudformation-validate`, the check `cdk synth`
 * runs unless `--no-validation` or `CDK_VALIDATION=false`), with its verdict on each template kept
 * between synths (DEC-043).
 *
 * The validator's verdict on a template is a function of the template's bytes, the stack it is
 * in (path, account, region), the validator's version and the rules aws-cdk-lib gives it: it
 * validates each template alone. This plugin asks the validator only about the templates whose
 * key ({@link validationKey}) it has not seen, and reads the others' verdicts from
 * `node_modules/.cache/office-zones/cfn-validate/verdicts.json`. A synth where no template changed
 * starts no validator (its WebAssembly engine takes about 2 s to start on a 2-core machine, most
 * of the validation's cost); a synth where one product changed starts it for that product's
 * templates only, so it saves little there.
 *
 * What reaches `validation-report.json` is what aws-cdk-lib's own plugin reports: the same plugin
 * name, version, violations in the same order, and aws-cdk-lib's handling of them (errors are
 * warnings unless `@aws-cdk/core:validateAgainstDefaultRules` is true). One exception is
 * aws-cdk-lib's: in an app with nested stages, it gives a plugin registered on the app the app's
 * own stacks first, and its built-in plugin the nested stages' stacks first, so findings in both
 * come in another order (DEC-043). `OFFICE_ZONES_CACHE=off` asks the validator about every
 * template.
 */
export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly cacheFile: string | undefined;

  /**
   * @param cacheDir the folder of the cache file (default: `cfn-validate` in
   *   {@link projectCacheDir} of the working directory); `false` keeps nothing, and so does
   *   `OFFICE_ZONES_CACHE=off` when the plugin validates
   */
  constructor(cacheDir: string | false = projectCacheDir(process.cwd(), 'cfn-validate')) {
    super();
    this.cacheFile = cacheDir === false ? undefined : path.join(cacheDir, 'verdicts.json');
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const rules = rulesDigest(this.version);
    const templates = context.stackTemplates.map((s) => fs.readFileSync(s.templatePath));
    const keys = context.stackTemplates.map((s, i) => validationKey(rules, s, templates[i]));
    const kept = this.read();
    const isMissed = keys.map((k) => kept[k] === undefined);
    const missed = context.stackTemplates.filter((_, i) => isMissed[i]);
    const fresh = new Map<string, PolicyViolation[]>();
    const only = (stacks: IPolicyValidationContext['stackTemplates']) => ({
      ...context,
      stackTemplates: stacks,
      templatePaths: stacks.map((s) => s.templatePath),
    });
    if (
      missed.length === 1 ||
      (missed.length > 1 && startEngine(templates.filter((_, i) => isMissed[i])))
    ) {
      // One template at a time, so each keeps its findings in its own order (a report of several
      // templates lists a template's findings in the order they first appear in any of them).
      for (const s of missed)
        fresh.set(s.templatePath, ofTemplate(this.ask(only([s])).violations, s.templatePath));
    } else if (missed.length > 1) {
      const report = this.ask(only(missed));
      for (const s of missed)
        fresh.set(s.templatePath, ofTemplate(report.violations, s.templatePath));
    }
    // The validator merges a finding of one rule, severity and text across templates, in the
    // stacks' order; merging each template's own list in that order gives the same report.
    const violations: PolicyViolation[] = [];
    const entries: [string, StoredViolation[]][] = [];
    context.stackTemplates.forEach((s, i) => {
      const own = fresh.get(s.templatePath) ?? restore(kept[keys[i]], s.templatePath);
      entries.push([keys[i], own.map(store)]);
      for (const v of own) {
        const same = violations.find(
          (o) =>
            o.ruleName === v.ruleName &&
            o.severity === v.severity &&
            o.description === v.description,
        );
        if (same) same.violatingResources.push(...v.violatingResources);
        else violations.push({ ...v, violatingResources: [...v.violatingResources] });
      }
    });
    if (missed.length > 0) this.write(kept, entries);
    return {
      success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'),
      violations,
    };
  }

  /**
   * The validator's report on the templates of `context`, from the plugin aws-cdk-lib registers
   * by default: one engine per process, as without this plugin, started again only for resource
   * types it was not started for.
   */
  protected ask(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return CloudFormationValidatePlugin._singletonInstance().validate(context);
  }

  /**
   * The kept verdicts by key; an absent, damaged or foreign file is empty, and a verdict that is
   * not a list of violations as this plugin writes them is left out (its template is validated).
   */
  private read(): Record<string, StoredViolation[]> {
    if (!this.cacheFile || cachesOff()) return {};
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.cacheFile, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter(
          ([, v]) => Array.isArray(v) && v.every((x) => isStoredViolation(x)),
        ),
      ) as Record<string, StoredViolation[]>;
    } catch {
      return {};
    }
  }

  /**
   * Keeps this synth's verdicts last, after the newest others, up to {@link VERDICT_LIMIT}: written
   * whole through a temporary file and a rename, so two synths at once can lose each other's new
   * verdicts but never leave a damaged file. Best effort.
   */
  private write(kept: Record<string, StoredViolation[]>, entries: [string, StoredViolation[]][]) {
    if (!this.cacheFile || cachesOff()) return;
    const now = new Set(entries.map(([k]) => k));
    const all = [...Object.entries(kept).filter(([k]) => !now.has(k)), ...entries].slice(
      -VERDICT_LIMIT,
    );
    const tmp = `${this.cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(all)));
      fs.renameSync(tmp, this.cacheFile);
    } catch {
      // A read-only or full disk, or a folder in the file's place: the next synth asks the
      // validator again.
      fs.rmSync(tmp, { force: true });
    }
  }
}

/**
 * The most verdicts the cache file keeps: ten synths of a 400-product enterprise (about 410
 * templates each). Most verdicts are empty lists; the file stays under a megabyte.
 */
export const VERDICT_LIMIT = 4096;

/** A violation with each of its resources' template paths left out (they name this synth's outdir). */
type StoredViolation = Omit<PolicyViolation, 'violatingResources'> & {
  readonly violatingResources: Omit<
    PolicyViolation['violatingResources'][number],
    'templatePath'
  >[];
};

/** Whether `x` has the shape of a violation this plugin keeps ({@link store}). */
function isStoredViolation(x: unknown): x is StoredViolation {
  if (!x || typeof x !== 'object') return false;
  const v = x as Record<string, unknown>;
  return (
    typeof v.ruleName === 'string' &&
    typeof v.description === 'string' &&
    (v.severity === undefined || typeof v.severity === 'string') &&
    (v.fix === undefined || typeof v.fix === 'string') &&
    (v.ruleMetadata === undefined ||
      (typeof v.ruleMetadata === 'object' && v.ruleMetadata !== null)) &&
    Array.isArray(v.violatingResources) &&
    v.violatingResources.every(
      (r: unknown) =>
        !!r &&
        typeof r === 'object' &&
        Array.isArray((r as { locations?: unknown }).locations) &&
        ['resourceLogicalId', 'constructPath'].every((k) => {
          const value = (r as Record<string, unknown>)[k];
          return value === undefined || typeof value === 'string';
        }),
    )
  );
}

/**
 * Starts the validator's engine of aws-cdk-lib's default plugin for the resource types of all of
 * `templates` (their bytes) at once, so that validating them one by one does not start it again for each template
 * with a type the one before lacked (the plugin starts a new engine then: 2 s each). Uses the
 * plugin's private `initializeEngine` (aws-cdk-lib 2.276); without it, returns false and the
 * templates are validated together.
 */
function startEngine(templates: readonly Buffer[]): boolean {
  const plugin = CloudFormationValidatePlugin._singletonInstance() as unknown as {
    initializeEngine?: (resourceTypes: Set<string>) => unknown;
  };
  if (typeof plugin.initializeEngine !== 'function') return false;
  const types = new Set<string>();
  for (const bytes of templates) {
    try {
      const template = JSON.parse(bytes.toString('utf8')) as {
        Resources?: Record<string, { Type?: unknown }>;
      };
      for (const r of Object.values(template.Resources ?? {}))
        if (r && typeof r === 'object' && typeof r.Type === 'string') types.add(r.Type);
    } catch {
      // as aws-cdk-lib does: a template it cannot read adds no types
    }
  }
  plugin.initializeEngine.call(plugin, types);
  return true;
}

/** The violations that name `templatePath`, each with only that template's resources. */
function ofTemplate(
  violations: readonly PolicyViolation[],
  templatePath: string,
): PolicyViolation[] {
  return violations.flatMap((v) => {
    const own = v.violatingResources.filter((r) => r.templatePath === templatePath);
    return own.length > 0 ? [{ ...v, violatingResources: own }] : [];
  });
}

function store(v: PolicyViolation): StoredViolation {
  return {
    ...v,
    violatingResources: v.violatingResources.map(({ templatePath: _, ...r }) => r),
  };
}

function restore(stored: readonly StoredViolation[], templatePath: string): PolicyViolation[] {
  return stored.map((v) => ({
    ...v,
    violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath })),
  }));
}

/**
 * The digest of what the validator checks a template with: aws-cdk-lib's version (which decides
 * the rules it excludes and the detail level), the validator's version, and every rule file
 * aws-cdk-lib ships for it (`core/lib/validation/rules`), so a package patched in place changes it.
 */
function rulesDigest(validatorVersion: string | undefined): string {
  const hash = createHash('sha256').update(
    `aws-cdk-lib@${cdkVersion()}\n@aws/cloudformation-validate@${validatorVersion}\n`,
  );
  try {
    const dir = path.join(
      path.dirname(require.resolve('aws-cdk-lib/package.json')),
      'core/lib/validation/rules',
    );
    for (const f of fs.readdirSync(dir).sort())
      hash.update(`${f}\n`).update(fs.readFileSync(path.join(dir, f)));
  } catch {
    hash.update('no rules folder');
  }
  return hash.digest('hex');
}

function cdkVersion(): string {
  const rtti = (CloudFormationValidatePlugin as unknown as Record<symbol, { version?: string }>)[
    Symbol.for('jsii.rtti')
  ];
  return rtti?.version ?? 'unknown';
}

/**
 * The key of a template's verdict: the rules' digest, the stack's construct path, the template's
 * file name, account and region (the validator's pseudo-parameter values), and the template's bytes.
 */
export function validationKey(
  rules: string,
  stack: IPolicyValidationContext['stackTemplates'][number],
  template: Buffer,
): string {
  return createHash('sha256')
    .update(rules)
    .update('\n')
    .update(
      JSON.stringify([
        stack.stackConstructPath,
        path.basename(stack.templatePath),
        stack.accountId ?? null,
        stack.region ?? null,
      ]),
    )
    .update('\n')
    .update(template)
    .digest('hex');
}

/**
 * Registers {@link CachedCloudFormationValidatePlugin} on `app` in place of aws-cdk-lib's own
 * CloudFormation validation, when that would run: the app keeps `builtinCloudFormationValidation`
 * (the default), `CDK_VALIDATION` is not `false`, and no CloudFormation validation plugin is
 * registered yet (aws-cdk-lib allows one, at the app). Otherwise it does nothing.
 *
 * Call it after every other validation plugin is registered, so that the validation report lists
 * the plugins in the order aws-cdk-lib would.
 *
 * @returns whether it registered the plugin
 */
export function cacheCloudFormationValidation(app: App): boolean {
  if (!cloudFormationValidationRuns(app) || hasCloudFormationValidation(app)) return false;
  Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin());
  return true;
}

function hasCloudFormationValidation(scope: Stage): boolean {
  const plugins = (scope as unknown as { _validationPlugins?: readonly unknown[] })
    ._validationPlugins;
  if (plugins?.some((p) => p instanceof CloudFormationValidatePlugin)) return true;
  return scope.node.children.some((c) => Stage.isStage(c) && hasCloudFormationValidation(c));
}

/**
 * Whether aws-cdk-lib would run its CloudFormation validation on `app`'s synth: the app keeps
 * `builtinCloudFormationValidation` (the default) and `CDK_VALIDATION` is not `false`.
 */
export function cloudFormationValidationRuns(app: App): boolean {
  const internal = app as unknown as { _builtinCloudFormationValidation?: boolean };
  return (
    internal._builtinCloudFormationValidation !== false && process.env.CDK_VALIDATION !== 'false'
  );
}
