import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import {
  cacheCloudFormationValidation,
  CachedCloudFormationValidatePlugin,
} from '../../../lib/synth/validation-cache';
import { CDK_CONTEXT, errorOf, withCachesOff } from '../../helpers';

// This file runs aws-cdk-lib's CloudFormation validation, which the other tests turn off
// (test/setup-env.js); each file's environment is restored after it (DEC-042).
delete process.env.CDK_VALIDATION;

/**
 * An app of three stacks: A and B each with a queue and a topic the validator refuses (the same
 * findings in both, which the validator merges into one violation each), C with a valid queue.
 * `visibility` changes B's queue.
 */
function build(outdir: string, opts: { visibility?: string; strict?: boolean } = {}): App {
  const app = new App({
    outdir,
    context: {
      ...CDK_CONTEXT,
      // cdk.json sets it (a finding fails synth); off, the findings are warnings in the report.
      '@aws-cdk/core:validateAgainstDefaultRules': opts.strict ?? false,
    },
  });
  for (const id of ['A', 'B']) {
    const stack = new Stack(app, id);
    new CfnResource(stack, 'Queue', {
      type: 'AWS::SQS::Queue',
      properties: { VisibilityTimeout: id === 'B' ? (opts.visibility ?? 'abc') : 'abc' },
    });
    new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic', properties: { Nope: true } });
  }
  new CfnResource(new Stack(app, 'C'), 'Queue', {
    type: 'AWS::SQS::Queue',
    properties: { VisibilityTimeout: 30 },
  });
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

/** A spy on the plugin asking the validator about templates. */
function askSpy() {
  return jest.spyOn(
    CachedCloudFormationValidatePlugin.prototype as unknown as {
      ask(context: IPolicyValidationContext): PolicyValidationPluginReport;
    },
    'ask',
  );
}

describe('CachedCloudFormationValidatePlugin', () => {
  let work: string;
  let cacheDir: string;
  let n = 0;
  const outdir = () => path.join(work, `out${n++}`);
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-cfn-validate-'));
    cacheDir = path.join(work, 'cache');
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  // aws-cdk-lib prints the report of a synth with findings; the tests read the file.
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));

  /**
   * The app with the cached plugin in place of aws-cdk-lib's own: one plugin for every app, as
   * one validator engine (2 s to start) serves them all.
   */
  let plugin: CachedCloudFormationValidatePlugin | undefined;
  const cached = (opts: Parameters<typeof build>[1] = {}) => {
    const app = build(outdir(), opts);
    Validations.of(app).addPlugins((plugin ??= new CachedCloudFormationValidatePlugin(cacheDir)));
    return app;
  };

  test('writes the report aws-cdk-lib writes, asks the validator only about templates it has not seen, and never when nothing changed (OFFICE_ZONES_CACHE=off: always)', () => {
    const validate = askSpy();
    const asked = () =>
      validate.mock.calls.map((c) => c[0].stackTemplates.map((s) => path.basename(s.templatePath)));

    // aws-cdk-lib's own plugin, registered by aws-cdk-lib itself.
    const uncached = reportOf(build(outdir()));
    expect(cfnViolations(uncached)).toEqual([
      'F3002 Nope warning: A/Topic B/Topic',
      'F3012 VisibilityTimeout warning: A/Queue B/Queue',
    ]);
    validate.mockClear();

    // A cache file that is not ours is read as empty.
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'verdicts.json'), '{"cut short');
    expect(reportOf(cached())).toEqual(uncached);
    expect(asked()).toEqual([['A.template.json', 'B.template.json', 'C.template.json']]);
    validate.mockClear();

    expect(reportOf(cached())).toEqual(uncached);
    expect(validate).not.toHaveBeenCalled();

    // B's queue changes: only B is validated; A's findings come from the cache, merged as before.
    const changed = reportOf(cached({ visibility: 'def' }));
    expect(asked()).toEqual([['B.template.json']]);
    expect(cfnViolations(changed)).toEqual([
      'F3002 Nope warning: A/Topic B/Topic',
      'F3012 VisibilityTimeout warning: A/Queue',
      'F3012 VisibilityTimeout warning: B/Queue',
    ]);
    // ...which is what the validator says of the changed app when asked about every template
    // (OFFICE_ZONES_CACHE=off, which reads and keeps nothing).
    const kept = fs.readFileSync(path.join(cacheDir, 'verdicts.json'), 'utf8');
    validate.mockClear();
    expect(withCachesOff(() => reportOf(cached({ visibility: 'def' })))).toEqual(changed);
    expect(asked()).toEqual([['A.template.json', 'B.template.json', 'C.template.json']]);
    expect(fs.readFileSync(path.join(cacheDir, 'verdicts.json'), 'utf8')).toBe(kept);
  });

  test('a finding read from the cache fails synth under @aws-cdk/core:validateAgainstDefaultRules, as the validator would', () => {
    reportOf(cached()); // the verdicts are kept
    const validate = askSpy();
    const message = errorOf(() => cached({ strict: true }).synth());
    expect(validate).not.toHaveBeenCalled();
    expect(message).toContain("ERROR VisibilityTimeout: 'abc' is not of type 'integer'");
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
