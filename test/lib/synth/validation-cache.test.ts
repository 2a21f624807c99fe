import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import {
  cacheCloudFormationValidation,
  CachedCloudFormationValidatePlugin,
  startValidatorAhead,
  ValidatorProcess,
} from '../../../lib/synth/validation-cache';
import { CDK_CONTEXT, errorOf, withCachesOff } from '../../helpers';

// This file runs aws-cdk-lib's CloudFormation validation, which the other tests turn off
// (test/setup-env.js); each file's environment is restored after it (DEC-042).
delete process.env.CDK_VALIDATION;

/** Stacks by id, each a list of resources: [logical id, CloudFormation type, properties]. */
type Spec = Record<string, [string, string, Record<string, unknown>][]>;

const QUEUE = 'AWS::SQS::Queue';
const TOPIC = 'AWS::SNS::Topic';
const BUCKET = 'AWS::S3::Bucket';

/**
 * Stacks A and B each with a queue and a topic the validator refuses (the same findings in both,
 * which the validator merges into one violation each), and C with a valid bucket.
 */
const REFUSED: Spec = {
  A: [
    ['Queue', QUEUE, { VisibilityTimeout: 'abc' }],
    ['Topic', TOPIC, { Nope: true }],
  ],
  B: [
    ['Queue', QUEUE, { VisibilityTimeout: 'abc' }],
    ['Topic', TOPIC, { Nope: true }],
  ],
  C: [['Bucket', BUCKET, {}]],
};

function build(outdir: string, spec: Spec, strict = false): App {
  const app = new App({
    outdir,
    context: {
      ...CDK_CONTEXT,
      // cdk.json sets it (a finding fails synth); off, the findings are warnings in the report.
      '@aws-cdk/core:validateAgainstDefaultRules': strict,
    },
  });
  for (const [id, resources] of Object.entries(spec)) {
    const stack = new Stack(app, id);
    for (const [logicalId, type, properties] of resources)
      new CfnResource(stack, logicalId, { type, properties });
  }
  return app;
}

/** Synthesizes and returns validation-report.json, as aws-cdk-lib wrote it. */
function reportOf(app: App): unknown {
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
}

/** The CloudFormation Validate plugin's violations: rule, property, severity, and each resource's template and id. */
function cfnViolations(report: unknown): string[] {
  const plugins = (report as { pluginReports: { pluginName: string; violations: unknown[] }[] })
    .pluginReports;
  const plugin = plugins.find((p) => p.pluginName === CloudFormationValidatePlugin.PLUGIN_NAME);
  return (
    (plugin?.violations ?? []) as {
      ruleName: string;
      description: string;
      severity: string;
      violatingConstructs: {
        cloudFormationResource: { templatePath: string; logicalId: string };
      }[];
    }[]
  ).map(
    (v) =>
      `${v.ruleName} ${v.description.split(':')[0]} ${v.severity}: ${v.violatingConstructs
        .map(
          ({ cloudFormationResource: r }) =>
            `${path.basename(r.templatePath, '.template.json')}/${r.logicalId}`,
        )
        .join(' ')}`,
  );
}

/** A spy on the plugin asking the validator about templates; `asked()` lists each call's templates. */
function askSpy() {
  const spy = jest.spyOn(
    CachedCloudFormationValidatePlugin.prototype as unknown as {
      ask(context: IPolicyValidationContext): PolicyValidationPluginReport;
    },
    'ask',
  );
  const asked = () =>
    spy.mock.calls.map((c) =>
      c[0].stackTemplates.map((s) => path.basename(s.templatePath, '.template.json')).join(','),
    );
  return { spy, asked };
}

/**
 * A temporary folder for the tests of the enclosing `describe` (removed after them), and a new
 * output folder in it on each call of `outdir()`. Mocks are restored after each test, and
 * console.error is silenced: aws-cdk-lib prints the report of a synth with findings; the tests
 * read the file.
 */
function useWorkFolder(prefix: string) {
  let dir = '';
  let n = 0;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  return { work: () => dir, outdir: () => path.join(dir, `out${n++}`) };
}

/** A synth's error message with its output folder's name left out, to compare two synths'. */
const withoutOutdir = (message: string) => message.replace(/out\d+/g, 'out');

describe('CachedCloudFormationValidatePlugin', () => {
  const { work, outdir } = useWorkFolder('oz-cfn-validate-');

  /** aws-cdk-lib's own plugin, registered by aws-cdk-lib itself. */
  const uncached = (spec: Spec) => reportOf(build(outdir(), spec));
  /** The app with the cached plugin (keeping its verdicts in `cacheDir`) in place of aws-cdk-lib's own. */
  const cached = (cacheDir: string, spec: Spec, strict = false) => {
    const app = build(outdir(), spec, strict);
    Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin(cacheDir));
    return app;
  };

  test('writes the report aws-cdk-lib writes, asks the validator only about templates it has not seen, and never when nothing changed (OFFICE_ZONES_CACHE=off: always)', () => {
    const cacheDir = path.join(work(), 'cache-1');
    const own = uncached(REFUSED);
    expect(cfnViolations(own)).toEqual([
      'F3002 Nope warning: A/Topic B/Topic',
      'F3012 VisibilityTimeout warning: A/Queue B/Queue',
    ]);

    // A cache file that is not ours is read as empty.
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'verdicts.json'), '{"cut short');
    const { spy, asked } = askSpy();
    expect(reportOf(cached(cacheDir, REFUSED))).toEqual(own);
    expect(asked()).toEqual(['A', 'B', 'C']);
    spy.mockClear();

    expect(reportOf(cached(cacheDir, REFUSED))).toEqual(own);
    expect(spy).not.toHaveBeenCalled();

    // B's queue changes: only B is validated; A's findings come from the cache, merged as before.
    const changedSpec = { ...REFUSED, B: [['Queue', QUEUE, { VisibilityTimeout: 'def' }]] } as Spec;
    const changed = reportOf(cached(cacheDir, changedSpec));
    expect(asked()).toEqual(['B']);
    expect(cfnViolations(changed)).toEqual([
      'F3002 Nope warning: A/Topic',
      'F3012 VisibilityTimeout warning: A/Queue',
      'F3012 VisibilityTimeout warning: B/Queue',
    ]);
    // ...which is what aws-cdk-lib's plugin says of the changed app.
    expect(uncached(changedSpec)).toEqual(changed);

    // OFFICE_ZONES_CACHE=off reads and keeps nothing.
    const kept = fs.readFileSync(path.join(cacheDir, 'verdicts.json'), 'utf8');
    spy.mockClear();
    expect(withCachesOff(() => reportOf(cached(cacheDir, changedSpec)))).toEqual(changed);
    expect(asked()).toEqual(['A', 'B', 'C']);
    expect(fs.readFileSync(path.join(cacheDir, 'verdicts.json'), 'utf8')).toBe(kept);
  });

  test("keeps each template's findings in its own order, and starts the validator once for templates of different resource types", () => {
    const cacheDir = path.join(work(), 'cache-2');
    // B finds DelaySeconds first, then VisibilityTimeout; A finds only VisibilityTimeout, so in a
    // report of both, VisibilityTimeout comes first.
    const spec: Spec = {
      A: [['Queue', QUEUE, { VisibilityTimeout: 'abc' }]],
      B: [
        ['Q1', QUEUE, { DelaySeconds: 'zzz' }],
        ['Q2', QUEUE, { VisibilityTimeout: 'abc' }],
        ['Topic', TOPIC, { Nope: true }],
      ],
      C: [['Bucket', BUCKET, { Nope: true }]],
    };
    // A fresh default plugin, as in a process that has not validated yet.
    CloudFormationValidatePlugin._disposeSingleton();
    const engines = jest.spyOn(
      CloudFormationValidatePlugin.prototype as unknown as {
        initializeEngine(types: Set<string>): unknown;
      },
      'initializeEngine',
    );
    reportOf(cached(cacheDir, spec));
    expect(new Set(engines.mock.results.map((r) => r.value)).size).toBe(1);

    // A no longer finds anything: B's findings, from the cache, come in B's order.
    const fixed: Spec = { ...spec, A: [['Queue', QUEUE, { VisibilityTimeout: 30 }]] };
    const { asked } = askSpy();
    const report = reportOf(cached(cacheDir, fixed));
    expect(asked()).toEqual(['A']);
    // (aws-cdk-lib's report lists the violations by rule, then in the validator's order.)
    expect(cfnViolations(report)).toEqual([
      'F3002 Nope warning: B/Topic C/Bucket',
      'F3012 DelaySeconds warning: B/Q1',
      'F3012 VisibilityTimeout warning: B/Q2',
    ]);
    expect(uncached(fixed)).toEqual(report);
  });

  test('validates again a template whose kept verdict is damaged, and leaves no temporary file when it cannot keep verdicts', () => {
    const cacheDir = path.join(work(), 'cache-3');
    const own = uncached(REFUSED);
    reportOf(cached(cacheDir, REFUSED));
    const file = path.join(cacheDir, 'verdicts.json');
    const verdicts = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown[]>;
    fs.writeFileSync(
      file,
      JSON.stringify(
        Object.fromEntries(Object.keys(verdicts).map((k, i) => [k, i === 0 ? [null] : [{}]])),
      ),
    );
    const { asked } = askSpy();
    expect(reportOf(cached(cacheDir, REFUSED))).toEqual(own);
    expect(asked()).toEqual(['A', 'B', 'C']);

    // A folder where the file should be: nothing is kept, and nothing is left behind.
    const blocked = path.join(work(), 'cache-blocked');
    fs.mkdirSync(path.join(blocked, 'verdicts.json'), { recursive: true });
    expect(reportOf(cached(blocked, REFUSED))).toEqual(own);
    // (the validator's version is kept beside it: version.json)
    expect(fs.readdirSync(blocked).sort()).toEqual(['verdicts.json', 'version.json']);
  });

  test("keeps the validator's version, which aws-cdk-lib reads on every synth, instead of loading the validator for it", () => {
    const cacheDir = path.join(work(), 'cache-5');
    const own = new CloudFormationValidatePlugin().version;
    expect(own).toMatch(/^\d+\.\d+\.\d+/);
    const asked = jest.spyOn(CloudFormationValidatePlugin.prototype, 'version', 'get');
    expect(new CachedCloudFormationValidatePlugin(cacheDir).version).toBe(own);
    expect(asked).toHaveBeenCalledTimes(1);
    asked.mockClear();
    expect(new CachedCloudFormationValidatePlugin(cacheDir).version).toBe(own);
    expect(asked).not.toHaveBeenCalled();

    // A damaged file, or the cache off: the validator is asked.
    fs.writeFileSync(path.join(cacheDir, 'version.json'), '{"identity": 1');
    expect(new CachedCloudFormationValidatePlugin(cacheDir).version).toBe(own);
    expect(withCachesOff(() => new CachedCloudFormationValidatePlugin(cacheDir).version)).toBe(own);
    expect(asked).toHaveBeenCalledTimes(2);
  });

  test('a finding read from the cache fails synth under @aws-cdk/core:validateAgainstDefaultRules, as the validator would', () => {
    const cacheDir = path.join(work(), 'cache-4');
    reportOf(cached(cacheDir, REFUSED)); // the verdicts are kept
    const { spy } = askSpy();
    const message = errorOf(() => cached(cacheDir, REFUSED, true).synth());
    expect(spy).not.toHaveBeenCalled();
    expect(message).toContain("ERROR VisibilityTimeout: 'abc' is not of type 'integer'");
    expect(withoutOutdir(message)).toBe(
      withoutOutdir(errorOf(() => build(outdir(), REFUSED, true).synth())),
    );
  });
});

describe('startValidatorAhead', () => {
  const { work, outdir } = useWorkFolder('oz-cfn-ahead-');

  /** Builds `spec`, starts the validator ahead as synthOfficeZones does, registers the plugin, synthesizes. */
  const synthAhead = (cacheDir: string, spec: Spec, strict = false) => {
    const app = build(outdir(), spec, strict);
    const ahead = startValidatorAhead(app, spec, cacheDir);
    Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin(cacheDir, ahead));
    return { app, ahead };
  };

  test("validates in the validator's process the templates not kept, with aws-cdk-lib's report, and starts none for a synth whose verdicts are all kept", () => {
    const cacheDir = path.join(work(), 'cache-1');
    const own = reportOf(build(outdir(), REFUSED));
    const answers = jest.spyOn(ValidatorProcess.prototype, 'validate');

    const first = synthAhead(cacheDir, REFUSED);
    expect(first.ahead?.validator).toBeInstanceOf(ValidatorProcess);
    expect(reportOf(first.app)).toEqual(own);
    // One template at a time, each answered by the process (none validated in this process).
    expect(answers.mock.results.map((r) => r.type === 'return' && r.value !== undefined)).toEqual([
      true,
      true,
      true,
    ]);

    // The same synth again: every verdict is kept, so nothing starts.
    answers.mockClear();
    const again = synthAhead(cacheDir, REFUSED);
    expect(again.ahead?.validator).toBeUndefined();
    expect(reportOf(again.app)).toEqual(own);
    expect(answers).not.toHaveBeenCalled();

    // Another blueprint: the validator starts, and under validateAgainstDefaultRules its findings
    // fail synth with aws-cdk-lib's message.
    const changed: Spec = { ...REFUSED, C: [['Bucket', BUCKET, { Nope: true }]] };
    const strict = synthAhead(cacheDir, changed, true);
    expect(strict.ahead?.validator).toBeInstanceOf(ValidatorProcess);
    expect(withoutOutdir(errorOf(() => strict.app.synth()))).toBe(
      withoutOutdir(errorOf(() => build(outdir(), changed, true).synth())),
    );

    // OFFICE_ZONES_CACHE=off: every template is new, so the validator always starts.
    expect(withCachesOff(() => synthAhead(cacheDir, REFUSED).ahead?.validator)).toBeInstanceOf(
      ValidatorProcess,
    );
  });

  test("asks the validator's process for the validator's version when none is kept, not this process", () => {
    const cacheDir = path.join(work(), 'cache-version');
    const own = new CloudFormationValidatePlugin().version;
    const asked = jest.spyOn(CloudFormationValidatePlugin.prototype, 'version', 'get');
    const { ahead } = synthAhead(cacheDir, REFUSED);
    expect(ahead?.validator).toBeInstanceOf(ValidatorProcess);
    expect(ahead?.validator?.version()).toBe(own);
    expect(new CachedCloudFormationValidatePlugin(cacheDir, ahead).version).toBe(own);
    expect(asked).not.toHaveBeenCalled();
    // Kept for the next synth, which starts no process for it.
    expect(new CachedCloudFormationValidatePlugin(cacheDir).version).toBe(own);
    expect(asked).not.toHaveBeenCalled();
    ahead?.validator?.stop();
  });

  test("validates in this process, with the same report, when the validator's process fails", () => {
    const cacheDir = path.join(work(), 'cache-2');
    const own = reportOf(build(outdir(), REFUSED));
    const failing = path.join(work(), 'failing.mjs');
    fs.writeFileSync(failing, "process.stderr.write('no engine here'); process.exit(3);\n");
    const validator = ValidatorProcess.start(failing);
    expect(validator).toBeInstanceOf(ValidatorProcess);
    const recordKept = jest.fn();
    const app = build(outdir(), REFUSED);
    Validations.of(app).addPlugins(
      new CachedCloudFormationValidatePlugin(cacheDir, { validator, recordKept }),
    );
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const started = Date.now();
    expect(reportOf(app)).toEqual(own);
    // It did not wait out ANSWER_TIMEOUT_MS (2 minutes) for an answer that could not come, and said why.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(stderr.mock.calls.map(([line]) => String(line))).toContainEqual(
      expect.stringMatching(
        /^Office Zones: the CloudFormation validator's own process cannot answer \(the validator's process ended \(exit 3\): no engine here\); validating in this process instead\n$/,
      ),
    );
    expect(validator?.running).toBe(false);
    expect(recordKept).toHaveBeenCalledTimes(1);
  });

  test('starts nothing where aws-cdk-lib would not validate, or validates with a plugin of its own', () => {
    const cacheDir = path.join(work(), 'cache-3');
    const start = jest.spyOn(ValidatorProcess, 'start');
    expect(
      startValidatorAhead(new App({ builtinCloudFormationValidation: false }), 'x', cacheDir),
    ).toBeUndefined();
    const own = new App();
    Validations.of(own).addPlugins(new CloudFormationValidatePlugin());
    expect(startValidatorAhead(own, 'x', cacheDir)).toBeUndefined();
    process.env.CDK_VALIDATION = 'false';
    try {
      expect(startValidatorAhead(new App(), 'x', cacheDir)).toBeUndefined();
    } finally {
      delete process.env.CDK_VALIDATION;
    }
    expect(start).not.toHaveBeenCalled();
  });
});

describe('cacheCloudFormationValidation', () => {
  const plugins = (app: App) => app._validationPlugins;

  test('replaces aws-cdk-lib’s own validation when it would run', () => {
    const app = new App();
    expect(cacheCloudFormationValidation(app)).toBe(true);
    expect(plugins(app)).toEqual([expect.any(CachedCloudFormationValidatePlugin)]);
  });

  test('does nothing when validation is off or already registered', () => {
    expect(cacheCloudFormationValidation(new App({ builtinCloudFormationValidation: false }))).toBe(
      false,
    );
    const own = new App();
    Validations.of(own).addPlugins(new CloudFormationValidatePlugin());
    expect(cacheCloudFormationValidation(own)).toBe(false);
    expect(plugins(own)).toHaveLength(1);
    process.env.CDK_VALIDATION = 'false';
    try {
      const app = new App();
      expect(cacheCloudFormationValidation(app)).toBe(false);
      expect(plugins(app)).toEqual([]);
    } finally {
      delete process.env.CDK_VALIDATION;
    }
  });
});
