import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../lib/blueprint';
import { buildOfficeZones } from '../lib/office-zones';
import { registerSecurityChecks } from '../lib/security';
import { REFERENCE_MARKER } from '../policies/acknowledge';
import { CDK_CONTEXT } from './helpers';

/**
 * The gate: the reference app exactly as `cdk synth` builds it, with aws-cdk-lib's CloudFormation
 * validation (strict) and every security pack on. Any finding that is not acknowledged fails.
 */
function synthWithGate(
  outdir: string,
  change?: (stacks: ReturnType<typeof buildOfficeZones>) => void,
) {
  const saved = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    const app = new App({ outdir, context: CDK_CONTEXT });
    const stacks = buildOfficeZones(app, parseBlueprint(REFERENCE_BLUEPRINT));
    change?.(stacks);
    registerSecurityChecks(app);
    app.synth();
  } finally {
    process.env.CDK_VALIDATION = saved;
  }
}

describe('security gate on the reference blueprint', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-gate-'));
  let report: any;

  beforeAll(() => {
    synthWithGate(outdir);
    report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes with no unacknowledged finding from any plugin', () => {
    const open = report.pluginReports.flatMap((p: any) =>
      p.violations.map((v: any) => `${p.pluginName}: ${v.ruleName}`),
    );
    expect(open).toEqual([]);
  });

  test('runs the AwsSolutions pack', () => {
    expect(report.pluginReports.map((p: any) => p.pluginName)).toContain('AwsSolutions');
  });

  test('every acknowledgment went through the project helper: it carries a reason and a decision reference', () => {
    const suppressed = report.pluginReports.flatMap((p: any) => p.suppressedViolations ?? []);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const s of suppressed) {
      expect({ rule: s.ruleName, reason: s.reason }).toEqual({
        rule: s.ruleName,
        reason: expect.stringMatching(REFERENCE_MARKER),
      });
    }
  });
});

describe('the gate can fail', () => {
  test('fails synth on an AwsSolutions finding and on a CloudFormation schema error', () => {
    // A one-stack app with the same flags and the same registration: the mechanism, cheaply.
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-gate-bad-'));
    const saved = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    try {
      const app = new App({ outdir, context: CDK_CONTEXT });
      const stack = new Stack(app, 'Bad');
      new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      const typo = new sqs.Queue(stack, 'TypoQueue', {
        enforceSSL: true,
        deadLetterQueue: {
          queue: new sqs.Queue(stack, 'Dlq', { enforceSSL: true }),
          maxReceiveCount: 3,
        },
      });
      (typo.node.defaultChild as CfnResource).addPropertyOverride(
        'VisibilityTimeout',
        'a long time',
      );
      registerSecurityChecks(app);
      expect(() => app.synth()).toThrow(
        /AwsSolutions-SQS3[\s\S]*PlainQueue|PlainQueue[\s\S]*AwsSolutions-SQS3/,
      );
      const failed = JSON.parse(
        fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
      );
      const rules = failed.pluginReports.flatMap((p: any) =>
        p.violations.map((v: any) => `${p.pluginName}: ${v.ruleName}`),
      );
      expect(rules).toEqual(
        expect.arrayContaining([expect.stringMatching(/^AwsSolutions: AwsSolutions-SQS4/)]),
      );
      expect(rules.some((r: string) => !r.startsWith('AwsSolutions'))).toBe(true); // CloudFormation validation
    } finally {
      process.env.CDK_VALIDATION = saved;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
