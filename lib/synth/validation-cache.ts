import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
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
 * asks the validator nothing (its WebAssembly engine takes about 2.5 s to start on a 2-core
 * machine, most of the validation's cost). When the synth was expected to meet new templates,
 * {@link startValidatorAhead} has started the validator in a process of its own while the stacks
 * were built (DEC-044), and the templates not kept are validated there; otherwise in this
 * process, with aws-cdk-lib's default plugin.
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
  /** The templates to start the in-process engine for, should the validator's process fail. */
  private engineFor: Buffer[] | undefined;

  /**
   * @param cacheDir the folder of the cache file (default: `cfn-validate` in
   *   {@link projectCacheDir} of the working directory); `false` keeps nothing, and so does
   *   `OFFICE_ZONES_CACHE=off` when the plugin validates
   * @param ahead what {@link startValidatorAhead} started for this synth, if anything: the
   *   templates not kept are validated by its process, and the synth's fingerprint is recorded
   *   once every verdict is kept
   */
  constructor(
    cacheDir: string | false = projectCacheDir(process.cwd(), 'cfn-validate'),
    private readonly ahead?: ValidatorAhead,
  ) {
    super();
    this.cacheFile = cacheDir === false ? undefined : path.join(cacheDir, 'verdicts.json');
  }

  /**
   * The validator's version, as aws-cdk-lib's plugin gives it (the validator's own answer), kept
   * beside the verdicts for the installed validator package (its `package.json` and WebAssembly
   * file). aws-cdk-lib reads it on every synth, and asking the validator loads its 9 MB
   * WebAssembly module: about 0.25 s that a synth whose every verdict is kept needs for nothing
   * else. Asked again when the package changes, the cache is off, or nothing can be kept: of the
   * validator's process started ahead when there is one (it has the module loaded already), else
   * in this process.
   */
  override get version(): string | undefined {
    if (this.knownVersion === undefined) {
      const file = this.cacheFile && path.join(path.dirname(this.cacheFile), 'version.json');
      const identity = file && !cachesOff() ? validatorIdentity() : undefined;
      if (file && identity) {
        try {
          const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
          const { identity: keptIdentity, version } = (kept ?? {}) as Record<string, unknown>;
          if (keptIdentity === identity && typeof version === 'string') this.knownVersion = version;
        } catch {
          // not kept yet, or damaged: ask the validator
        }
      }
      if (this.knownVersion === undefined) {
        const fromProcess = this.ahead?.validator?.version();
        this.knownVersion = fromProcess !== undefined ? fromProcess : (super.version ?? null);
        if (file && identity && typeof this.knownVersion === 'string')
          writeAtomically(file, JSON.stringify({ identity, version: this.knownVersion }));
      }
    }
    return this.knownVersion ?? undefined;
  }

  private knownVersion: string | null | undefined;

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
    const missedBytes = templates.filter((_, i) => isMissed[i]);
    const viaProcess = missed.length > 1 && this.ahead?.validator !== undefined;
    this.engineFor = viaProcess ? missedBytes : undefined;
    if (missed.length === 1 || (missed.length > 1 && (viaProcess || startEngine(missedBytes)))) {
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
    this.engineFor = undefined;
    if (missed.length === 0 || this.write(kept, entries)) this.ahead?.recordKept();
    return {
      success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'),
      violations,
    };
  }

  /**
   * The validator's report on the templates of `context`: from the validator's process started
   * ahead, else from the plugin aws-cdk-lib registers by default (one engine per process, as
   * without this plugin, started again only for resource types it was not started for).
   */
  protected ask(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.ahead?.validator?.validate(context);
    if (report) return report;
    if (this.engineFor) {
      startEngine(this.engineFor);
      this.engineFor = undefined;
    }
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
   *
   * @returns whether the verdicts are kept
   */
  private write(
    kept: Record<string, StoredViolation[]>,
    entries: [string, StoredViolation[]][],
  ): boolean {
    if (!this.cacheFile || cachesOff()) return false;
    const now = new Set(entries.map(([k]) => k));
    const all = [...Object.entries(kept).filter(([k]) => !now.has(k)), ...entries].slice(
      -VERDICT_LIMIT,
    );
    // A read-only or full disk, or a folder in the file's place: the next synth asks the
    // validator again.
    return writeAtomically(this.cacheFile, JSON.stringify(Object.fromEntries(all)));
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
 * The identity of the installed validator (`@aws/cloudformation-validate` as aws-cdk-lib resolves
 * it): the SHA-256 of its folder, its `package.json` and the size and modification time of its
 * WebAssembly files; undefined when it cannot be found.
 */
function validatorIdentity(): string | undefined {
  try {
    const pkg = createRequire(require.resolve('aws-cdk-lib/package.json')).resolve(
      '@aws/cloudformation-validate/package.json',
    );
    const dir = path.dirname(pkg);
    const hash = createHash('sha256').update(`${dir}\n`).update(fs.readFileSync(pkg));
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .sort()) {
      const st = fs.statSync(path.join(dir, f));
      hash.update(`\n${f} ${st.size} ${st.mtimeMs}`);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
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
export function cacheCloudFormationValidation(app: App, ahead?: ValidatorAhead): boolean {
  if (!cloudFormationValidationRuns(app) || hasCloudFormationValidation(app)) return false;
  Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin(undefined, ahead));
  return true;
}

/** How many fingerprints of synths whose every verdict is kept {@link startValidatorAhead} remembers (the newest). */
export const FINGERPRINTS_KEPT = 64;

/** What {@link startValidatorAhead} started for a synth, and the synth's fingerprint. */
export interface ValidatorAhead {
  /** The validator's process; absent when the synth's templates are expected to be kept. */
  readonly validator?: ValidatorProcess;
  /** Records that every template of this synth has its verdict kept: the same synth again starts no validator. */
  recordKept(): void;
}

/**
 * Starts aws-cdk-lib's CloudFormation validator in a process of its own now, while the stacks are
 * still to be built, when the synth is expected to need it (DEC-044): when `OFFICE_ZONES_CACHE`
 * is `off`, or when `fingerprint` with the code loaded so far (every module's file, size and
 * modification time) is not the fingerprint of a synth that ended with every verdict kept. The
 * validator's start (some 1.4 s on a 2-core machine) then runs beside the building of the stacks
 * instead of after it.
 *
 * A wrong guess costs time, never a verdict: templates are still looked up by their bytes, and a
 * template not kept is validated by the process, or in this process when the other cannot
 * answer. Nothing starts where aws-cdk-lib would not validate
 * ({@link cloudFormationValidationRuns}) or where a CloudFormation validation plugin is already
 * registered.
 *
 * @param fingerprint what decides the templates besides the code (the blueprint, the CDK
 *   context), as a value JSON can write; it is hashed
 * @param cacheDir the folder of `fingerprints.json` (default: `cfn-validate` in
 *   {@link projectCacheDir} of the working directory, beside the verdicts)
 * @returns undefined when no validation will run through {@link cacheCloudFormationValidation}
 */
export function startValidatorAhead(
  app: App,
  fingerprint: unknown,
  cacheDir: string = projectCacheDir(process.cwd(), 'cfn-validate'),
): ValidatorAhead | undefined {
  if (!cloudFormationValidationRuns(app) || hasCloudFormationValidation(app)) return undefined;
  const digest = createHash('sha256')
    .update(JSON.stringify(fingerprint) ?? 'undefined')
    .update('\n')
    .update(loadedCode())
    .digest('hex');
  const file = cachesOff() ? undefined : path.join(cacheDir, 'fingerprints.json');
  const expectKept = file !== undefined && readFingerprints(file).includes(digest);
  const validator = expectKept ? undefined : ValidatorProcess.shared();
  return {
    ...(validator ? { validator } : {}),
    recordKept() {
      if (!file || cachesOff()) return;
      const known = readFingerprints(file).filter((f) => f !== digest);
      writeAtomically(file, JSON.stringify([...known, digest].slice(-FINGERPRINTS_KEPT)));
    },
  };
}

/** The identity of every module loaded so far (file, size, modification time): the app's code. */
function loadedCode(): string {
  return Object.keys(require.cache)
    .sort()
    .map((f) => {
      try {
        const st = fs.statSync(f);
        return `${f} ${st.size} ${st.mtimeMs}`;
      } catch {
        return f;
      }
    })
    .join('\n');
}

function readFingerprints(file: string): string[] {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Writes `text` through a temporary file and a rename, so that a reader never sees half a file;
 * best effort: no temporary file is left when it fails.
 *
 * @returns whether `file` now holds `text`
 */
function writeAtomically(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // a file where the folder should be: there is no temporary file either
    }
    return false;
  }
}

/** How long this process waits for one answer of the validator's process before validating itself. */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * The V8 options of the validator's process. Starting the engine grows its WebAssembly memory
 * some 300 times, and V8 answers each growth with a garbage collection; on one thread those take
 * about 1.4 s instead of 2.5 s with V8's helper threads on a 2-core machine (DEC-044).
 */
const VALIDATOR_NODE_OPTIONS = ['--single-threaded'];

/**
 * aws-cdk-lib's validator in a Node.js process of its own (`validator-process.mjs`), asked
 * synchronously: this process posts a context to a worker thread (`validator-relay.mjs`) that
 * talks to the validator's process, and waits on a shared counter until the answer is there.
 */
export class ValidatorProcess {
  private static current: ValidatorProcess | undefined;

  /**
   * This process's validator process, started on first use (and again after a failure), as
   * aws-cdk-lib keeps one validator per process. It does not keep this process alive.
   */
  static shared(): ValidatorProcess | undefined {
    if (!ValidatorProcess.current || ValidatorProcess.current.broken)
      ValidatorProcess.current = ValidatorProcess.start();
    return ValidatorProcess.current;
  }

  /**
   * A new validator process; undefined when aws-cdk-lib's plugin module
   * (`core/lib/validation/cloudformation-validate-plugin.js`, aws-cdk-lib 2.276) or the scripts are
   * not where this version expects them.
   *
   * @param script the validator's script (default: `validator-process.mjs`; tests give a failing one)
   */
  static start(
    script = path.join(__dirname, 'validator-process.mjs'),
  ): ValidatorProcess | undefined {
    const relay = path.join(__dirname, 'validator-relay.mjs');
    let pluginModule: string;
    try {
      pluginModule = path.join(
        path.dirname(require.resolve('aws-cdk-lib/package.json')),
        'core/lib/validation/cloudformation-validate-plugin.js',
      );
    } catch {
      return undefined;
    }
    if (![relay, script, pluginModule].every((f) => fs.existsSync(f))) return undefined;
    return new ValidatorProcess(relay, script, pluginModule);
  }

  /** [how many answers the relay has posted (the process's end posts one too), the process's id] */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private broken = false;

  private constructor(relay: string, script: string, pluginModule: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(relay, {
      workerData: {
        script,
        pluginModule,
        nodeOptions: VALIDATOR_NODE_OPTIONS,
        port: port2,
        signal: this.signal,
      },
      transferList: [port2],
    });
    this.worker.on('error', () => this.stop());
    this.worker.unref();
    this.port.unref();
    // The process ends with this one, even mid-start (it reads its input only once started).
    process.once('exit', () => this.kill());
  }

  /** Whether the process can still answer (it has not failed, ended or been stopped). */
  get running(): boolean {
    return !this.broken;
  }

  /**
   * The process's report on `context` (the same as aws-cdk-lib's default plugin's), or undefined
   * when the process failed, ended or took over {@link ANSWER_TIMEOUT_MS}: it is then stopped.
   */
  validate(context: IPolicyValidationContext): PolicyValidationPluginReport | undefined {
    return this.request(
      {
        stackTemplates: context.stackTemplates.map((s) => ({ ...s })),
        templatePaths: [...context.templatePaths],
      },
      (answer) => answer.report,
    );
  }

  /**
   * The validator's version as aws-cdk-lib's plugin gives it, from the process, which has loaded
   * the validator already: asking it in this process would load the 9 MB WebAssembly module again
   * (about 0.3 s). Null when the validator gives none; undefined when the process cannot answer
   * (it is then stopped).
   */
  version(): string | null | undefined {
    return this.request({ version: true }, (answer) =>
      typeof answer.version === 'string' || answer.version === null ? answer.version : undefined,
    );
  }

  /** Sends `message` and waits for the answer `accept` takes; any other answer stops the process. */
  private request<T>(
    message: unknown,
    accept: (answer: ProcessAnswer) => T | undefined,
  ): T | undefined {
    if (this.broken) return undefined;
    const seen = Atomics.load(this.signal, 0);
    this.port.postMessage(message);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const answer = receiveMessageOnPort(this.port)?.message as ProcessAnswer | undefined;
      const accepted = answer && !answer.error ? accept(answer) : undefined;
      if (accepted !== undefined) return accepted;
      const left = deadline - Date.now();
      if (answer || left <= 0) {
        const why =
          answer?.error ??
          (answer ? 'an answer of another kind' : `no answer in ${ANSWER_TIMEOUT_MS / 1000} s`);
        process.stderr.write(
          `Office Zones: the CloudFormation validator's own process cannot answer (${why.split('\n')[0]}); validating in this process instead\n`,
        );
        this.stop();
        return undefined;
      }
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  }

  /** Ends the process and its relay thread. */
  stop(): void {
    if (this.broken) return;
    this.broken = true;
    this.kill();
    this.port.postMessage('stop');
    void this.worker.terminate();
  }

  /** Ends the validator's process, if the relay has started it and it still runs. */
  private kill(): void {
    const pid = Atomics.load(this.signal, 1);
    try {
      if (pid > 0) process.kill(pid, 'SIGKILL'); // it keeps nothing; a stopped process ends too
    } catch {
      // ended already
    }
  }
}

/** One line of the validator's process: a report, the validator's version, or why it cannot answer. */
interface ProcessAnswer {
  readonly report?: PolicyValidationPluginReport;
  readonly version?: unknown;
  readonly error?: string;
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
