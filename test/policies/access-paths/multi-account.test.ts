import { App, Stack, Stage } from 'aws-cdk-lib';
import { loadIamSimulateInProcess } from '../../../policies/access-paths/engine';
import { evaluateAccessPathsAsync } from '../../../policies/access-paths/evaluate';
import type {
  AccessPathReport,
  AccessPathResult,
  StackTemplate,
} from '../../../policies/access-paths/model';
import { describeFailure } from '../../../policies/access-paths/plugin';
import {
  type Blueprint,
  environmentBlueprints,
  parseBlueprint,
  physicalNamePrefix,
} from '../../../lib/blueprint';
import { accessPathSettings } from '../../../lib/stacks/access-paths';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { zoneOf } from '../../../lib/stacks/zones';
import { testApp } from '../../helpers';
import { multiAccountInput } from '../../support/multi-account';

/**
 * The access paths of an enterprise whose zones are in several accounts, each stack simulated in
 * its own account and region (DEC-036). A simulation by @cloud-copilot/iam-simulate over the
 * synthesized templates: nothing here was deployed.
 */
const engine = loadIamSimulateInProcess();

/** The templates of one environment's stage, each with its account and region. */
function templatesOf(app: App, stage: Stage): StackTemplate[] {
  const assembly = app.synth().getNestedAssembly(stage.artifactId);
  const stacks = stage.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  return assembly.stacks.map((s) => {
    const stack = stacks.find((x) => x.artifactId === s.id)!;
    return {
      stackName: s.stackName,
      zone: zoneOf(stack),
      template: s.template,
      tags: s.tags,
      account: s.environment.account,
      region: s.environment.region,
    };
  });
}

async function evaluateProd(
  mutate: (templates: StackTemplate[]) => void = () => {},
): Promise<AccessPathReport> {
  if (!engine) throw new Error('the tests need @cloud-copilot/iam-simulate (a devDependency)');
  const app = testApp();
  const prod: Blueprint = environmentBlueprints(parseBlueprint(multiAccountInput()))[1];
  const stage = new Stage(app, physicalNamePrefix(prod));
  buildOfficeZones(stage, prod);
  const templates = templatesOf(app, stage);
  mutate(templates);
  return evaluateAccessPathsAsync(templates, accessPathSettings(prod), engine);
}

const failures = (report: AccessPathReport) =>
  report.paths.filter((p) => !p.pass).map(describeFailure);
const byId = (report: AccessPathReport, id: string): AccessPathResult => {
  const found = report.paths.find((p) => p.id === id);
  if (!found) throw new Error(`no path ${id}; there are ${report.paths.length}`);
  return found;
};
const account = (arn: string) => arn.split(':')[4];

describe('access paths across accounts (prod: back office, integration, two front-office accounts)', () => {
  let report: AccessPathReport;
  beforeAll(async () => {
    report = await evaluateProd();
  });

  test('allows every must-allow path and denies every must-deny path', () => {
    expect(failures(report)).toEqual([]);
    expect(report.summary.notEvaluated ?? 0).toBe(0);
  });

  test('the broker reaches the back office across accounts: integration role in one account, queue and ledger in another', () => {
    const crossing = report.paths.filter(
      (p) =>
        p.kind === 'ApiGatewayIntegrations' &&
        p.expect === 'allow' &&
        p.principal.kind === 'role' &&
        account(p.principal.arn) !== account(p.resource) &&
        /^\d{12}$/.test(account(p.resource)),
    );
    expect(
      crossing
        .map(
          (p) =>
            `${account((p.principal as { arn: string }).arn)} ${p.action} ${account(p.resource)}`,
        )
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        '310000000002 dynamodb:GetItem 310000000001',
        '310000000002 dynamodb:Query 310000000001',
        '310000000002 kms:Decrypt 310000000001',
        '310000000002 kms:GenerateDataKey 310000000001',
        '310000000002 sqs:SendMessage 310000000001',
      ]),
    );
    expect(crossing.every((p) => p.decision === 'Allowed')).toBe(true);
  });

  test("a product in its own account reads its credentials and its stack's shared parameters across accounts", () => {
    expect(byId(report, 'run.product.web-shop.read-credentials').decision).toBe('Allowed');
    expect(byId(report, 'run.product.web-shop.read-credentials.decrypt').decision).toBe('Allowed');
    const reads = report.paths.filter(
      (p) =>
        p.kind === 'DeployDynamicReferences' &&
        p.stacks[0] === 'OfficeZones-prod-Product-web-shop' &&
        p.resource.startsWith('arn:aws:ssm:eu-west-2:310000000002:'),
    );
    expect(reads).toHaveLength(4);
    expect(reads.every((p) => p.decision === 'Allowed')).toBe(true);
  });

  test("an administrator of another account who names a role like the door's reaches nothing", () => {
    const boundary = report.paths.filter((p) => p.kind === 'AccountBoundary');
    const from = new Set(boundary.map((p) => p.id.split('.')[2]));
    // Every other account of the environment: the back office's and both front-office accounts.
    expect([...from].sort()).toEqual(['310000000001', '310000000003', '310000000004']);
    expect(boundary.every((p) => p.expect === 'deny' && p.pass)).toBe(true);
    // An integration role's name in a front-office account, on the intake queue.
    expect(
      byId(
        report,
        'deny.account.310000000003.officezones-prod-broker-orders.officezones-prod-backoffice.zoneordersintakequeue.sendmessage',
      ).decision,
    ).toMatch(/Denied$/);
    // The web shop's runtime name in the default front-office account, on the web shop's secret.
    expect(
      boundary.some(
        (p) =>
          p.id.startsWith('deny.account.310000000003.officezones-prod-product-web-shop-runtime.') &&
          p.action === 'secretsmanager:GetSecretValue',
      ),
    ).toBe(true);
  });

  test('fails when the back office stops admitting the integration account: the broker is cut off', async () => {
    const cut = await evaluateProd((templates) => {
      for (const t of templates)
        for (const r of Object.values(t.template.Resources ?? {}))
          if (r.Type === 'AWS::SQS::QueuePolicy') {
            const doc = r.Properties!.PolicyDocument as { Statement: { Sid?: string }[] };
            doc.Statement = doc.Statement.filter((s) => !s.Sid?.startsWith('AllowCrossAccount'));
          }
    });
    expect(failures(cut)).toEqual([
      expect.stringMatching(
        /expected allow, got ImplicitlyDenied.*principal arn:aws:iam::310000000002:role\/OfficeZones-prod-broker-orders; action sqs:SendMessage; resource arn:aws:sqs:eu-west-2:310000000001:OfficeZones-prod-orders-intake/,
      ),
    ]);
  });

  test('fails when the intake queue admits a whole front-office account: a second door', async () => {
    const opened = await evaluateProd((templates) => {
      for (const t of templates)
        for (const r of Object.values(t.template.Resources ?? {}))
          if (r.Type === 'AWS::SQS::QueuePolicy') {
            const doc = r.Properties!.PolicyDocument as { Statement: unknown[] };
            doc.Statement.push({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::310000000003:root' },
              Action: 'sqs:SendMessage',
              Resource: '*',
            });
            // ...and takes the front-office account's roles out of its deny, as a hasty fix would.
            for (const s of doc.Statement as {
              Effect: string;
              Condition?: Record<string, Record<string, unknown>>;
            }[])
              if (s.Effect === 'Deny' && s.Condition?.ArnNotLike)
                s.Condition.ArnNotLike['aws:PrincipalArn'] = [
                  ...([] as unknown[]).concat(s.Condition.ArnNotLike['aws:PrincipalArn']),
                  'arn:aws:iam::310000000003:role/*',
                ];
          }
    });
    expect(failures(opened)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^A role named OfficeZones-prod-broker-orders in account 310000000003 .*expected deny, got Allowed/,
        ),
      ]),
    );
  });
});
