import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BlueprintError } from '../../../lib/blueprint';
import { SecurityGateError, synthOfficeZones } from '../../../lib/synth';
import { writeReports } from '../../../lib/reports';
import { CDK_CONTEXT, errorOf, referenceInput, withCachesOff } from '../../helpers';

const root = path.join(__dirname, '..', '..', '..');

/** An app like the CDK CLI's, writing into a temporary directory, without Lambda bundling. */
function appIn(outdir: string): App {
  return new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
}

describe('synthOfficeZones', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-synth-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('builds a blueprint object into templates and writes every report next to them', () => {
    const input = referenceInput();
    input.stackPrefix = 'Acme';
    const result = synthOfficeZones({ app: appIn(outdir), blueprint: input, securityGate: false });
    expect(result.blueprint.stackPrefix).toBe('Acme');
    expect(result.security).toBeUndefined();
    expect(result.assembly.stacks.map((s) => s.stackName)).toContain('Acme-dev-Broker');
    expect(result.reports).toEqual(
      expect.arrayContaining([
        'broker-manifest.json',
        'security-report.md',
        'cost-attribution.csv',
      ]),
    );
    for (const file of result.reports) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
  });

  test('lays out the page ahead, while the templates are made: the page as laid out after them, no Graphviz process', () => {
    // The CommonJS module object, whose spawnSync graphviz.ts calls (the namespace import is frozen).
    const spawn = jest.spyOn(
      require('node:child_process') as typeof import('node:child_process'),
      'spawnSync',
    );
    const graphvizChildren = () =>
      spawn.mock.calls.filter(([, args]) =>
        (args ?? []).some((a) => a.endsWith('graphviz-layout.mjs')),
      ).length;
    const page = () => fs.readFileSync(path.join(outdir, 'office-zones.html'), 'utf8');
    const { blueprint, stacks } = withCachesOff(() =>
      synthOfficeZones({
        app: appIn(outdir),
        blueprintFile: path.join(root, 'examples/blueprints/bakery.yaml'),
        securityGate: false,
      }),
    );
    expect(graphvizChildren()).toBe(0);
    const ahead = page();
    // The same page as the reports written again, laid out afterwards in a Graphviz process.
    withCachesOff(() => writeReports({ outdir, blueprint, stacks }));
    expect(graphvizChildren()).toBe(1);
    expect(page()).toBe(ahead);
  });

  test('builds a blueprint file', () => {
    const result = synthOfficeZones({
      app: appIn(outdir),
      blueprintFile: path.join(root, 'examples/blueprints/bakery.yaml'),
      securityGate: false,
    });
    expect(result.assembly.stacks.map((s) => s.stackName)).toContain('Bakery-test-Broker');
  });

  test('fails when the blueprint has problems, before anything is written', () => {
    const input: any = referenceInput();
    input.frontOffice.products[0].costCentre = 'marketing';
    let error: unknown;
    try {
      synthOfficeZones({ app: appIn(outdir), blueprint: input });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BlueprintError);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fails when both a blueprint and a blueprint file are given', () => {
    expect(
      errorOf(() => synthOfficeZones({ blueprint: referenceInput(), blueprintFile: 'x.yaml' })),
    ).toBe('synthOfficeZones: give either blueprint or blueprintFile, not both');
  });

  test('fails when the gate finds something, after writing the reports that say what', () => {
    const app = appIn(outdir);
    // A queue without TLS enforcement or a dead-letter queue: AwsSolutions-SQS3 and SQS4.
    new sqs.Queue(new Stack(app, 'Extra'), 'Open');
    const message = errorOf(() => synthOfficeZones({ app }));
    expect(message).toContain('AwsSolutions-SQS4');
    const report = fs.readFileSync(path.join(outdir, 'security-report.md'), 'utf8');
    expect(report).toContain('AwsSolutions-SQS4');
  });
});

describe('the security gate of synthOfficeZones', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-gate-warning-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('fails on an access path, naming principal, action, resource and the deciding statement, once per path', () => {
    // As `cdk synth` runs the app: the CDK CLI reports validation itself, so aws-cdk-lib does not
    // throw, and the gate is what fails the synth.
    const app = new App({
      outdir,
      context: {
        ...CDK_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        '@aws-cdk/core:failSynthOnValidationErrors': false,
      },
    });
    // The operations topic's policy keeps only its TLS deny: CloudWatch alarms may not publish.
    Aspects.of(app).add({
      visit(node) {
        if (node instanceof sns.CfnTopicPolicy && node.node.path.includes('/Operations'))
          node.addPropertyOverride('PolicyDocument.Statement', [
            {
              Sid: 'TlsOnly',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sns:Publish',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ]);
      },
    });
    let error: unknown;
    try {
      synthOfficeZones({ app, blueprint: referenceInput() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecurityGateError);
    const { findings, message } = error as SecurityGateError;
    const publish = findings.filter((f) => /^run\.alarm\..*\.publish$/.test(f.findingId));
    expect(publish.length).toBeGreaterThan(0);
    expect(message).toMatch(
      /run\.alarm\.\S+\.publish \(error\): CloudWatch publishes the alarm \S+ to \S+: expected allow, got ImplicitlyDenied\. principal cloudwatch\.amazonaws\.com; action sns:Publish; resource arn:aws:sns:\S+; decided by resource policy AWS::SNS::TopicPolicy \S+ \[no statement allows\]\. \(simulation\)\n {4}fix: /,
    );
    // Each path once: in the gate's count and in the security report (a path crosses two stacks).
    const report = fs.readFileSync(path.join(outdir, 'security-report.md'), 'utf8');
    const section = report.slice(report.indexOf('## OfficeZonesAccessPaths'));
    expect(section).toContain(`### Open findings (${findings.length})`);
    expect(new Set(findings.map((f) => f.findingId)).size).toBe(findings.length);
    expect(section).toMatch(
      /\| error \| CloudWatch publishes the alarm \S+ to \S+: expected allow/,
    );
  });

  test('fails when a warning-level finding is open, as the security report says, with its fix', () => {
    // A web product without `countries`: AwsSolutions-CFR1 (no geo restriction) is a warning,
    // which aws-cdk-lib alone would let through.
    const input: any = referenceInput();
    delete input.frontOffice.products[1].components.web.countries;
    let error: unknown;
    try {
      synthOfficeZones({ app: appIn(outdir), blueprint: input });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecurityGateError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^the security gate found 1 unacknowledged finding \(warnings fail too/,
    );
    expect(message).toContain(
      'AwsSolutions-CFR1 (warning) at OfficeZones-dev-Product-loyalty/Product/Web/Distribution/Resource\n    fix: ',
    );
    const report = fs.readFileSync(path.join(outdir, 'security-report.md'), 'utf8');
    expect(report).toContain('Failed: 1 open finding');
    const row = report.split('\n').find((line) => line.startsWith('| `AwsSolutions-CFR1`'));
    const fix = row?.split('|').at(-2)?.trim();
    expect(fix).toMatch(/Geo restriction/);
  });
});
