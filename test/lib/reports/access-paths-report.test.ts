import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AccessPathChecks } from '../../../policies/access-paths/plugin';
import type { ReportContext } from '../../../lib/reports';
import {
  accessPathsMarkdown,
  readAccessPaths,
  writeAccessPaths,
} from '../../../lib/reports/access-paths-report';
import { AccessPathsReport } from '../../../lib/reports/page/access-paths';
import { settings } from '../../policies/access-paths/support';

/** A TLS-only topic (its policy is a path) and a role that must not reach it; synthesized with the plugin, then reported. */
function report(loadEngine?: () => undefined) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-paths-'));
  const app = new App({ outdir });
  const back = new Stack(app, 'BackOffice');
  new sns.Topic(back, 'Topic', { enforceSSL: true });
  new iam.Role(new Stack(app, 'Shop'), 'Runtime', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const accessPaths = new AccessPathChecks({
    settings: settings(),
    zoneOf: (c) => (Stack.of(c).stackName === 'Shop' ? 'front-office' : 'back-office'),
    loadEngine,
    log: () => undefined,
  });
  Validations.of(app).addPlugins(accessPaths);
  app.synth();
  const ctx = {
    outdir,
    blueprint: { enterprise: 'Test Retail' },
    security: { packs: [], accessPaths },
  } as unknown as ReportContext;
  const written = writeAccessPaths(ctx);
  const markdown = fs.readFileSync(path.join(outdir, 'access-paths.md'), 'utf8');
  const json = readAccessPaths(outdir)!;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { written, markdown, json };
}

describe('access-paths.json and access-paths.md', () => {
  const evaluated = report();

  test('the JSON keeps the shared contract: simulation, engine, summary and every path with its decision', () => {
    expect(evaluated.written).toEqual(['access-paths.json', 'access-paths.md']);
    const { json } = evaluated;
    expect(json).toMatchObject({
      simulation: true,
      evaluated: true,
      engine: { name: '@cloud-copilot/iam-simulate', version: expect.stringMatching(/^0\.1\./) },
      summary: { failed: 0 },
      environment: { account: '111111111111', region: 'eu-west-1' },
    });
    expect(json.summary.total).toBe(json.paths.length);
    const deny = json.paths.find(
      (p) => p.id === 'deny.front-office.shop.runtime.backoffice.topic.publish',
    )!;
    expect(Object.keys(deny).sort()).toEqual(
      expect.arrayContaining([
        'id',
        'phase',
        'expect',
        'description',
        'principal',
        'action',
        'resource',
        'stacks',
        'decision',
        'pass',
        'decidingStatements',
      ]),
    );
    expect(deny).toMatchObject({
      phase: 'run',
      expect: 'deny',
      action: 'sns:Publish',
      stacks: ['Shop', 'BackOffice'],
      pass: true,
    });
  });

  test('the HTML page reads it: principal is one string, the engine version a string', () => {
    const { json } = evaluated;
    expect(AccessPathsReport.safeParse(json).error?.issues ?? []).toEqual([]);
    const publish = json.paths.find((p) => p.action === 'sns:Publish' && p.expect === 'deny')!;
    expect(publish).toMatchObject({
      principal: expect.stringMatching(/^arn:aws:iam::111111111111:role\//),
      principalKind: 'role',
    });
    expect(AccessPathsReport.safeParse(report(() => undefined).json).success).toBe(true);
  });

  test('the page says plainly that it is a simulation, names the engine and groups paths by phase', () => {
    const md = evaluated.markdown;
    expect(md).toContain('# Access paths: Test Retail');
    expect(md).toMatch(
      /\*\*This is a simulation\.\*\* Nothing was deployed and no AWS API was called\./,
    );
    expect(md).toMatch(/evaluated by @cloud-copilot\/iam-simulate 0\.1\.\d+/);
    expect(md.indexOf('## Deploy time: must allow')).toBeLessThan(
      md.indexOf('## Run time: must allow'),
    );
    expect(md.indexOf('## Run time: must allow')).toBeLessThan(md.indexOf('## Must deny'));
    expect(md).toContain('`deny.front-office.shop.runtime.backoffice.topic.publish`');
  });

  test('without the engine, the report says evaluated: false and how to install it', () => {
    const { json, markdown } = report(() => undefined);
    expect(json).toMatchObject({ evaluated: false, engine: { version: 'not installed' } });
    expect(json.notEvaluatedReason).toContain('npm install --save-dev @cloud-copilot/iam-simulate');
    expect(markdown).toContain('**Not evaluated:**');
  });

  test('a path the engine decided without naming statements shows the note on why', () => {
    const { json } = evaluated;
    const note =
      "decided by @cloud-copilot/iam-simulate's runUnsafeSimulation, which names no deciding statements";
    const [path0] = json.paths;
    const page = accessPathsMarkdown(
      {
        ...json,
        paths: [
          {
            ...path0,
            principal: { kind: 'service', service: 'logs.amazonaws.com' },
            decidingStatements: [],
            note,
          },
        ],
      } as unknown as Parameters<typeof accessPathsMarkdown>[0],
      'Test Retail',
    );
    expect(page).toContain(`| ${note} |`);
  });
});
