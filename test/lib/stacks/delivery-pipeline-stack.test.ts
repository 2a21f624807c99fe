import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  Blueprint,
  environmentBlueprints,
  loadBlueprintFile,
  physicalNamePrefix,
} from '../../../lib/blueprint';
import { DeliveryPipelineStack } from '../../../lib/stacks/delivery-pipeline-stack';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { synthOfficeZones } from '../../../lib/synth';
import * as YAML from 'yaml';
import { CDK_CONTEXT, errorOf, problemsOf } from '../../helpers';

const root = path.join(__dirname, '..', '..', '..');
const EXAMPLE = 'examples/blueprints/multi-account.yaml';

/** The example's input, as an object to change. */
function exampleInput(): any {
  return YAML.parse(fs.readFileSync(path.join(root, EXAMPLE), 'utf8'));
}

/** An app like the CDK CLI's, writing into a temporary directory, without Lambda bundling. */
function appIn(outdir: string): App {
  return new App({
    outdir,
    context: {
      ...CDK_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
}

interface PipelineAction {
  Name: string;
  RunOrder: number;
  ActionTypeId: { Category: string; Provider: string };
  Configuration?: Record<string, unknown>;
}

/** The stages of the one CodePipeline in a template, by name, with their actions. */
function stagesOf(template: Template): { Name: string; Actions: PipelineAction[] }[] {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  expect(pipelines).toHaveLength(1);
  return pipelines[0].Properties.Stages;
}

/** The run order of each stack's deploy action in one stage, by the stack's part of its name. */
function deployOrder(actions: PipelineAction[], prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of actions) {
    // CDK Pipelines names an action by its stack name without the stage's name in front.
    const match = new RegExp(`^(?:${prefix}-)?(.+)\\.Deploy$`).exec(a.Name);
    if (match) out[match[1]] = a.RunOrder;
  }
  return out;
}

/** The multi-account example built into stages and a pipeline stack, without synthOfficeZones. */
function pipelineOf(change: (blueprint: Blueprint) => Blueprint = (b) => b): DeliveryPipelineStack {
  const blueprint = change(loadBlueprintFile(path.join(root, EXAMPLE)));
  const app = appIn(fs.mkdtempSync(path.join(os.tmpdir(), 'oz-delivery-')));
  const envs = environmentBlueprints(blueprint);
  const targets = envs.map((envBlueprint, i) => {
    const stage = new Stage(app, physicalNamePrefix(envBlueprint));
    buildOfficeZones(stage, envBlueprint);
    return { environment: blueprint.environments![i], stage };
  });
  return new DeliveryPipelineStack(app, 'OfficeZones-Delivery', {
    blueprint,
    delivery: blueprint.delivery!,
    defaultRegion: envs[0].region,
    blueprintFile: EXAMPLE,
    targets,
  });
}

// The multi-account example synthesized once, as `cdk synth` does it: security gate on.
let outdir: string;
let result: ReturnType<typeof synthOfficeZones>;
let template: Template;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-delivery-'));
  result = synthOfficeZones({ app: appIn(outdir), blueprintFile: path.join(root, EXAMPLE) });
  template = Template.fromStack(result.delivery!);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the delivery pipeline of the multi-account example', () => {
  test('is built by synthOfficeZones in the delivery account, in the first environment region', () => {
    const stack = result.delivery!;
    expect(stack.stackName).toBe('OfficeZones-Delivery');
    expect(stack.account).toBe('200000000009');
    expect(stack.region).toBe('eu-west-2');
    // Top-level in the app, beside the environments' stages.
    expect(stack.node.scope).toBe(result.app);
  });

  test('has Source, Build, UpdatePipeline and Assets, then one stage per environment in order', () => {
    expect(stagesOf(template).map((s) => s.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      'OfficeZones-test',
      'OfficeZones-prod',
    ]);
  });

  test('waits for a manual approval before prod, and before test not at all', () => {
    const stages = stagesOf(template);
    const manual = (name: string) =>
      stages
        .find((s) => s.Name === name)!
        .Actions.filter((a) => a.ActionTypeId.Provider === 'Manual')
        .map((a) => ({ name: a.Name, runOrder: a.RunOrder }));
    expect(manual('OfficeZones-test')).toEqual([]);
    expect(manual('OfficeZones-prod')).toEqual([{ name: 'Approve-prod', runOrder: 1 }]);
    // Every deploy action of prod runs after the approval.
    const prod = stages.find((s) => s.Name === 'OfficeZones-prod')!;
    for (const a of prod.Actions.filter((x) => x.ActionTypeId.Provider === 'CloudFormation'))
      expect(a.RunOrder).toBeGreaterThan(1);
  });

  test('deploys the back office before the broker, and the broker before the products', () => {
    for (const env of ['test', 'prod']) {
      const stage = stagesOf(template).find((s) => s.Name === `OfficeZones-${env}`)!;
      const order = deployOrder(stage.Actions, `OfficeZones-${env}`);
      expect(order.BackOffice).toBeLessThan(order.Broker);
      expect(order.BackOffice).toBeLessThan(order.BackOfficeOperations);
      expect(order.Broker).toBeLessThan(order['Consumer-product-web-shop']);
      for (const product of ['web-shop', 'loyalty']) {
        expect(order.Broker).toBeLessThan(order[`Product-${product}`]);
        expect(order[`Consumer-product-${product}`]).toBeLessThan(order[`Product-${product}`]);
        expect(order.FrontOfficeGuardrails).toBeLessThan(order[`Product-${product}`]);
      }
      // The products deploy in parallel.
      expect(order['Product-web-shop']).toBe(order['Product-loyalty']);
    }
  });

  test('reads the repository through the CodeConnections connection and synthesizes the same file', () => {
    const source = stagesOf(template).find((s) => s.Name === 'Source')!.Actions;
    expect(source).toEqual([
      expect.objectContaining({
        ActionTypeId: expect.objectContaining({ Provider: 'CodeStarSourceConnection' }),
        Configuration: expect.objectContaining({
          ConnectionArn:
            'arn:aws:codeconnections:eu-west-2:200000000009:connection/0a1b2c3d-0000-1111-2222-333344445555',
          FullRepositoryId: 'northwind/office-zones-blueprint',
          BranchName: 'main',
        }),
      }),
    ]);
    const buildSpecs = Object.values(template.findResources('AWS::CodeBuild::Project')).map(
      (p) => p.Properties.Source.BuildSpec as string,
    );
    const synth = buildSpecs.find((spec) => spec.includes('cdk synth'));
    expect(JSON.parse(synth!).phases.build.commands).toEqual([
      'npm ci',
      `npx cdk synth -c blueprint=${EXAMPLE}`,
    ]);
  });

  test('encrypts artifacts with a rotated key that the target accounts can use', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
    });
  });

  test('carries the cost tags of the integration zone, product delivery', () => {
    expect(result.delivery!.costTags).toEqual(
      expect.objectContaining({
        Zone: 'integration',
        Product: 'delivery',
        Environment: 'delivery',
        Owner: 'it-integration@northwind.example',
        CostCentre: 'CC-2000',
      }),
    );
    template.hasResourceProperties('AWS::KMS::Key', {
      Tags: Match.arrayWith([{ Key: 'Product', Value: 'delivery' }]),
    });
  });

  test('makes no context lookups, so synth needs no AWS credentials', () => {
    const assemblies = [
      result.assembly,
      ...result.assembly.nestedAssemblies.map((a) => a.nestedAssembly),
    ];
    expect(assemblies).toHaveLength(3);
    for (const assembly of assemblies) expect(assembly.manifest.missing ?? []).toEqual([]);
  });
});

describe('DeliveryPipelineStack', () => {
  test('waits for approval before any environment with approval: true', () => {
    const stack = pipelineOf((b) => ({
      ...b,
      environments: b.environments!.map((e) => ({ ...e, approval: e.name === 'test' })),
    }));
    const stages = stagesOf(Template.fromStack(stack));
    const approvals = (name: string) =>
      stages
        .find((s) => s.Name === name)!
        .Actions.filter((a) => a.ActionTypeId.Provider === 'Manual')
        .map((a) => a.Name);
    expect(approvals('OfficeZones-test')).toEqual(['Approve-test']);
    expect(approvals('OfficeZones-prod')).toEqual([]);
  });

  test('fails when the blueprint file is not a path inside the repository', () => {
    const blueprint = loadBlueprintFile(path.join(root, EXAMPLE));
    const build = (blueprintFile: string) => () =>
      new DeliveryPipelineStack(new App(), 'Delivery', {
        blueprint,
        delivery: blueprint.delivery!,
        defaultRegion: 'eu-west-2',
        blueprintFile,
        targets: [],
      });
    expect(errorOf(build('../elsewhere.yaml'))).toBe(
      'Delivery: blueprintFile must be a path inside the repository, relative to its root (received: "../elsewhere.yaml")',
    );
    expect(errorOf(build('/abs/blueprint.yaml'))).toContain('must be a path inside the repository');
  });
});

describe('synthOfficeZones with delivery', () => {
  test('fails when the blueprint with delivery is given as an object, not a file', () => {
    const blueprint = exampleInput();
    expect(errorOf(() => synthOfficeZones({ blueprint, securityGate: false }))).toBe(
      'synthOfficeZones: the blueprint has delivery, whose pipeline runs `cdk synth -c blueprint=<file>` from the repository: give blueprintFile (the blueprint as a file in the repository), not a blueprint object',
    );
  });

  test('fails when a product is named delivery, the product tag of the pipeline', () => {
    const input = exampleInput();
    input.frontOffice.products[1].name = 'delivery';
    input.environments[1].accounts.products = { delivery: '310000000004' };
    expect(problemsOf(input)).toContain(
      'frontOffice.products[1].name: is reserved: the product cost tag delivery attributes shared IT resources (received: "delivery")',
    );
  });
});

describe('the security gate on the delivery pipeline', () => {
  test('sees the pipeline stack and its support stack, with every AwsSolutions finding acknowledged', () => {
    // The environments' packs walk the whole app (cdk-nag 3 validates the app construct), so
    // they see the pipeline stack, top-level beside the stages.
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const ours = /^(OfficeZones-Delivery|cross-region-stack-)/;
    const of = (list: any[] | undefined) =>
      (list ?? []).flatMap((v) =>
        (v.violatingConstructs ?? [])
          .filter((c: any) => ours.test(c.constructPath))
          .map((c: any) => `${v.ruleName} at ${c.constructPath}`),
      );
    const open = new Set(report.pluginReports.flatMap((p: any) => of(p.violations)));
    const acknowledged = report.pluginReports.flatMap((p: any) => of(p.suppressedViolations));
    expect(acknowledged).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 at OfficeZones-Delivery/Pipeline/Pipeline/ArtifactsBucket/Resource',
        'AwsSolutions-IAM5[Resource::*] at OfficeZones-Delivery/Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource',
      ]),
    );
    // CDK Pipelines grants kms:* on "*" for the cross-region replication key; an identity policy
    // reaches only its own (delivery) account, so the boundary pack's B1 finds no grant on the
    // back office's keys, which are in other accounts (DEC-037).
    expect([...open]).toEqual([]);
  });
});
