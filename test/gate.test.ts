import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../lib/blueprint';
import { buildOfficeZones } from '../lib/stacks/office-zones';
import { writeReports } from '../lib/reports';
import { registerSecurityChecks } from '../lib/stacks/security';
import {
  acknowledgmentProblems,
  recordedAcknowledgments,
  REFERENCE_MARKER,
} from '../policies/acknowledge';
import { BOUNDARY_PACK, BOUNDARY_RULES, boundaryRuleId } from '../policies/boundary/pack';
import { CDK_CONTEXT, errorOf } from './helpers';
import { sarifSchemaErrors } from './support/sarif';

/**
 * The gate: the reference app exactly as `cdk synth` builds it, with aws-cdk-lib's CloudFormation
 * validation (strict) and every security pack on. Any finding that is not acknowledged fails.
 */
function synthWithGate(
  outdir: string,
  change?: (stacks: ReturnType<typeof buildOfficeZones>) => void,
  options: { cloudFormationValidation?: boolean } = {},
) {
  const saved = process.env.CDK_VALIDATION;
  const savedContext = process.env.CDK_CONTEXT_JSON;
  if (options.cloudFormationValidation ?? true) delete process.env.CDK_VALIDATION;
  // Creation stack traces on, as in `cdk synth` (test/setup-env.js turns them off elsewhere).
  delete process.env.CDK_CONTEXT_JSON;
  const app = new App({ outdir, context: CDK_CONTEXT });
  try {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const stacks = buildOfficeZones(app, blueprint);
    change?.(stacks);
    const security = registerSecurityChecks(app, blueprint);
    app.synth();
    return { app, blueprint, stacks, security };
  } finally {
    process.env.CDK_VALIDATION = saved;
    if (savedContext !== undefined) process.env.CDK_CONTEXT_JSON = savedContext;
  }
}

describe('security gate on the reference blueprint', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-gate-'));
  let report: any;
  let gate: ReturnType<typeof synthWithGate>;

  beforeAll(() => {
    gate = synthWithGate(outdir);
    writeReports({ ...gate, outdir });
    report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes with no unacknowledged finding from any plugin', () => {
    const open = report.pluginReports.flatMap((p: any) =>
      p.violations.map((v: any) => `${p.pluginName}: ${v.ruleName}`),
    );
    expect(open).toEqual([]);
  });

  test('shows a reviewer where each acknowledged construct was created, in the TypeScript sources', () => {
    const constructs = report.pluginReports.flatMap((p: any) =>
      (p.suppressedViolations ?? []).flatMap((v: any) => v.violatingConstructs ?? []),
    );
    expect(constructs.length).toBeGreaterThan(0);
    const untraced = constructs
      .filter(
        (c: any) =>
          !(c.stackTraces ?? []).some((t: string) =>
            /\((?:.*\/)?(?:constructs|lib|policies)\/[\w/-]+\.ts:\d+:\d+\)/.test(t),
          ),
      )
      .map((c: any) => c.constructPath);
    expect(untraced).toEqual([]);
  });

  test('runs the AwsSolutions pack and every rule of the boundary pack', () => {
    expect(report.pluginReports.map((p: any) => p.pluginName)).toContain('AwsSolutions');
    const [aws, boundary] = gate.security.packs;
    expect(aws.name).toBe('AwsSolutions');
    expect(aws.rulesRun().length).toBeGreaterThan(50);
    expect(boundary.name).toBe('OfficeZonesBoundary');
    expect(boundary.rulesRun().map((r) => r.id)).toEqual(BOUNDARY_RULES.map(boundaryRuleId));
  });

  test('has zero boundary findings and zero acknowledgments of boundary rules', () => {
    // aws-cdk-lib leaves a plugin with nothing to report out of validation-report.json.
    const boundary = report.pluginReports.find((p: any) => p.pluginName === BOUNDARY_PACK);
    expect(boundary?.violations ?? []).toEqual([]);
    expect(boundary?.suppressedViolations ?? []).toEqual([]);
    expect(recordedAcknowledgments(gate.app).filter((a) => a.id.includes(BOUNDARY_PACK))).toEqual(
      [],
    );
  });

  test('writes security-report.sarif: valid SARIF 2.1.0, every rule of both packs that ran, acknowledged findings as suppressed results', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'security-report.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs.map((run: any) => run.tool.driver.name)).toEqual([
      'AwsSolutions',
      BOUNDARY_PACK,
    ]);
    gate.security.packs.forEach((pack, i) => {
      const rules = sarif.runs[i].tool.driver.rules;
      expect(rules.map((r: any) => r.id)).toEqual(pack.rulesRun().map((r) => r.id));
      expect(rules.every((r: any) => r.help.text.length > 20)).toBe(true);
    });
    expect(sarif.runs[1].results).toEqual([]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    for (const result of sarif.runs[0].results) {
      expect(result.suppressions).toEqual([
        expect.objectContaining({
          kind: 'inSource',
          status: 'accepted',
          justification: expect.stringMatching(REFERENCE_MARKER),
        }),
      ]);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
        /\.template\.json$/,
      );
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(
        /^OfficeZones-dev-/,
      );
    }
  });

  test('writes security-report.md: each pack with its rules, no open finding, every acknowledgment with path, reason and reference', () => {
    const markdown = fs.readFileSync(path.join(outdir, 'security-report.md'), 'utf8');
    expect(markdown).toContain('Passed: 0 open findings');
    expect(markdown).toMatch(/\| AwsSolutions \| \d+ \| 0 \| [1-9]\d* \|/);
    expect(markdown).toContain(`| ${BOUNDARY_PACK} | 11 | 0 | 0 |`);
    expect(markdown).toContain('`OfficeZonesBoundary-B11`');
    expect(markdown).toMatch(
      /\| `AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs\]` \| `OfficeZones-dev-Broker\/[^`]+` \| .+ \(ref DEC-004\) \| DEC-004 \|/,
    );
  });

  test('no acknowledgment in the app bypasses policies/acknowledge.ts or acknowledges an ERROR-level boundary rule', () => {
    expect(recordedAcknowledgments(gate.app).length).toBeGreaterThan(0);
    expect(acknowledgmentProblems(gate.app)).toEqual([]);
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

  test('every acknowledgment made by the app suppresses a finding: none is left behind by a fixed rule', () => {
    const suppressed = report.pluginReports.flatMap((p: any) =>
      (p.suppressedViolations ?? []).flatMap((v: any) =>
        v.violatingConstructs.map((c: any) => ({ rule: v.ruleName, path: c.constructPath })),
      ),
    );
    const dead = recordedAcknowledgments(gate.app)
      .filter((a) => a.madeBy === 'app')
      .map((a) => ({ id: a.id.replace(/^[A-Za-z][A-Za-z0-9]*::/, ''), path: a.path }))
      .filter(
        (a) =>
          !suppressed.some(
            (s: any) => s.rule === a.id && (s.path === a.path || s.path.startsWith(`${a.path}/`)),
          ),
      );
    expect(dead).toEqual([]);
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
      registerSecurityChecks(app, parseBlueprint(REFERENCE_BLUEPRINT));
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

describe('the boundary rules fail the gate', () => {
  const failing = (change: (stacks: ReturnType<typeof buildOfficeZones>) => void) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-gate-boundary-'));
    try {
      return errorOf(() => synthWithGate(outdir, change, { cloudFormationValidation: false }));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };

  test('fails when a back-office security group is open to 0.0.0.0/0', () => {
    const message = failing(({ backOffice }) => {
      const vpc = ec2.Vpc.fromVpcAttributes(backOffice, 'Network', {
        vpcId: 'vpc-12345678',
        availabilityZones: ['eu-west-1a'],
      });
      new ec2.SecurityGroup(backOffice, 'Open', { vpc }).addIngressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
      );
    });
    expect(message).toContain('OfficeZonesBoundary-B3[Ingress::0.0.0.0/0]');
    expect(message).toContain('OfficeZones-dev-BackOffice/Open/Resource');
  });

  test('fails when a role in an IT stack other than the broker integration roles is granted a ledger read', () => {
    const message = failing(({ backOffice, broker, frontOfficeGuardrails }) => {
      const orders = backOffice.zone.capability('orders');
      for (const stack of [broker, frontOfficeGuardrails]) {
        orders.grantRead(
          new iam.Role(stack, 'Extra', { assumedBy: new iam.AccountRootPrincipal() }),
        );
      }
    });
    expect(message).toContain('OfficeZones-dev-Broker/Extra/DefaultPolicy/Resource');
    expect(message).toContain('OfficeZones-dev-FrontOfficeGuardrails/Extra/DefaultPolicy/Resource');
    expect(message).toMatch(/OfficeZonesBoundary-B1\[OfficeZones-dev-BackOffice\/ZoneOrdersLedger/);
  });
});
