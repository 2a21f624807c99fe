import { App } from 'aws-cdk-lib';
import { parseBlueprint } from '../../../lib/blueprint';
import {
  ACCOUNT_QUOTAS,
  CLOUDFORMATION_LIMITS,
  formatLimitProblem,
  limitProblems,
  minimumBytes,
  SynthesizedTemplate,
  synthesizedTemplates,
} from '../../../lib/stacks/limits';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { CDK_CONTEXT, limitsApp } from '../../helpers';
import { largeBlueprint } from '../../support/large-blueprint';

/** A template with `n` resources of a type, named like constructs of one parent. */
function template(
  stackName: string,
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  extra: Partial<SynthesizedTemplate> = {},
): SynthesizedTemplate {
  return {
    stackName,
    template: { Resources: resources },
    bytes: 1000,
    ...extra,
  };
}

function many(n: number, type: string, prefix = 'R') {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, { Type: type }]));
}

describe('limitProblems', () => {
  test('a stack within every limit has no problem', () => {
    expect(limitProblems([template('S', many(500, 'AWS::SQS::Queue'))])).toEqual([]);
  });

  test('fails when a stack declares more than 500 resources, naming what fills it', () => {
    const resources = many(501, 'AWS::SQS::Queue');
    const constructPaths = Object.fromEntries(
      Object.keys(resources).map((id, i) => [
        id,
        i < 400
          ? `/S/Broker/Product${['Alpha', 'Beta', 'Gamma', 'Delta'][i % 4]}Credentials/R${i}`
          : `/S/Broker/Api/R${i}`,
      ]),
    );
    const [problem, ...rest] = limitProblems([template('S', resources, { constructPaths })]);
    expect(rest).toEqual([]);
    expect(formatLimitProblem(problem!)).toBe(
      '[S] CloudFormation resources per stack: 501 exceeds 500 (most from Broker/*Credentials: 400 (4 of them), Broker/Api: 101). Fix: declare fewer of what fills it in the blueprint, or move part of it into a stack of its own',
    );
  });

  test('fails when a stack has more than 200 outputs, parameters or mappings', () => {
    const sections = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`O${i}`, {}]));
    const problems = limitProblems([
      {
        stackName: 'S',
        bytes: 10,
        template: { Outputs: sections(201), Parameters: sections(202), Mappings: sections(200) },
      },
    ]);
    expect(problems.map((p) => [p.limit, p.count, p.max])).toEqual([
      ['CloudFormation outputs per stack', 201, 200],
      ['CloudFormation parameters per stack', 202, 200],
    ]);
  });

  test('fails when a template is larger than the 1,000,000 bytes CloudFormation reads from S3', () => {
    const [problem] = limitProblems([
      template('Big', many(3, 'AWS::SQS::Queue'), {
        bytes: CLOUDFORMATION_LIMITS.templateBytes + 1,
      }),
    ]);
    expect(problem).toMatchObject({ scope: 'Big', count: 1_000_001, max: 1_000_000 });
    expect(problem!.limit).toContain('template body size');
  });

  test('fails when an SSM parameter value is larger than its tier holds, counting literal bytes only', () => {
    const join = { 'Fn::Join': ['', ['x'.repeat(5000), { Ref: 'Token' }, 'é'.repeat(1000)]] };
    expect(minimumBytes(join)).toBe(7000);
    const problems = limitProblems([
      template('S', {
        Standard: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/a/standard', Value: join, Type: 'String' },
        },
        Advanced: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/a/advanced', Value: join, Tier: 'Advanced', Type: 'String' },
        },
        Huge: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/a/huge', Value: 'y'.repeat(9000), Tier: 'Advanced' },
        },
      }),
    ]);
    expect(problems.map((p) => [p.cause, p.max, p.fix])).toEqual([
      [
        'parameter /a/standard holds at least 7,000 bytes',
        4096,
        'use the Advanced tier for this parameter',
      ],
      [
        'parameter /a/huge holds at least 9,000 bytes',
        8192,
        'split the value over several parameters or publish it elsewhere (8,192 bytes is the most any tier holds)',
      ],
    ]);
  });

  test('fails when the stacks of one account create more origin access controls than its quota', () => {
    const oac = 'AWS::CloudFront::OriginAccessControl';
    const stacks = Array.from({ length: 101 }, (_, i) => template(`P${i}`, many(1, oac)));
    const [problem, ...rest] = limitProblems(stacks);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      limit: `Origin access controls per AWS account (${oac})`,
      count: 101,
      max: 100,
    });
    expect(problem!.fix).toContain('deployment.accountQuotas.cloudFrontOriginAccessControls');
    // A raised quota, declared in the blueprint, admits them.
    expect(limitProblems(stacks, { cloudFrontOriginAccessControls: 200 })).toEqual([]);
    // Spread over two accounts, each is within the default.
    const spread = stacks.map((s, i) => ({
      ...s,
      account: i % 2 ? '111111111111' : '222222222222',
    }));
    expect(limitProblems(spread)).toEqual([]);
  });

  test('counts regional quotas per account and region', () => {
    const plans = (account: string, region: string) =>
      template(`S-${region}`, many(200, 'AWS::ApiGateway::UsagePlan'), { account, region });
    expect(
      limitProblems([plans('111111111111', 'eu-west-1'), plans('111111111111', 'eu-west-2')]),
    ).toEqual([]);
    const [problem] = limitProblems([
      plans('111111111111', 'eu-west-1'),
      { ...plans('111111111111', 'eu-west-1'), stackName: 'Other' },
    ]);
    expect(problem).toMatchObject({ scope: '111111111111 eu-west-1', count: 400, max: 300 });
  });

  test('fails when one account and region would hold more CloudFormation stacks than its quota', () => {
    const stacks = Array.from({ length: 2001 }, (_, i) =>
      template(`S${i}`, many(1, 'AWS::SNS::Topic')),
    );
    const [problem, ...rest] = limitProblems(stacks);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      limit: 'Stack count (AWS::CloudFormation::Stack)',
      count: 2001,
      max: 2000,
    });
    expect(problem!.fix).toContain('deployment.accountQuotas.cloudFormationStacks');
    expect(limitProblems(stacks, { cloudFormationStacks: 2500 })).toEqual([]);
  });

  test('counts Standard-tier SSM parameters only against the Standard quota', () => {
    const parameters = (tier: string | undefined, n: number, name: string) =>
      template(
        name,
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `P${i}`,
            {
              Type: 'AWS::SSM::Parameter',
              Properties: { ...(tier ? { Tier: tier } : {}), Value: 'x' },
            },
          ]),
        ),
      );
    // 97 stacks of 100 parameters without a tier (Standard), and 4 of 100 of a named tier.
    const untiered = Array.from({ length: 97 }, (_, k) => parameters(undefined, 100, `B${k}`));
    const tiered = (tier: string) =>
      Array.from({ length: 4 }, (_, k) => parameters(tier, 100, `A${k}`));
    expect(limitProblems([...tiered('Advanced'), ...untiered])).toEqual([]);
    const [problem] = limitProblems([...tiered('Standard'), ...untiered]);
    expect(problem).toMatchObject({
      limit: 'Number of parameters (Standard tier) (AWS::SSM::Parameter)',
      count: 10_100,
      max: 10_000,
    });
  });

  test('fails when a user pool would have more app clients than its quota', () => {
    const clients = Array.from({ length: 1001 }, (_, i) =>
      template(`C${i}`, many(1, 'AWS::Cognito::UserPoolClient')),
    );
    expect(limitProblems(clients)[0]).toMatchObject({
      limit: 'App clients per user pool (AWS::Cognito::UserPoolClient)',
      count: 1001,
      max: 1000,
    });
  });

  test('every quota names its page', () => {
    for (const quota of ACCOUNT_QUOTAS)
      expect(quota.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe('synthesizedTemplates', () => {
  test('fails when a blueprint has more web products than the declared origin access control quota', () => {
    const input = largeBlueprint({ products: 3, components: ['web'] });
    const blueprint = parseBlueprint({
      ...input,
      deployment: { accountQuotas: { cloudFrontOriginAccessControls: 2 } },
    });
    const app = limitsApp();
    buildOfficeZones(app, blueprint);
    const problems = limitProblems(
      synthesizedTemplates(app.synth()),
      blueprint.deployment.accountQuotas,
    );
    expect(problems.map(formatLimitProblem)).toEqual([
      '[the target account (environment-agnostic stacks)] Origin access controls per AWS account (AWS::CloudFront::OriginAccessControl): 3 exceeds 2 (3 stacks create them, most OfficeZones-dev-Product-product-1: 1, OfficeZones-dev-Product-product-2: 1, OfficeZones-dev-Product-product-3: 1). Fix: request a higher "Origin access controls per AWS account" quota (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html) and declare it as deployment.accountQuotas.cloudFrontOriginAccessControls in the blueprint, or spread the stacks over more accounts',
    ]);
  });

  test('reads construct paths, accounts and sizes from the assembly', () => {
    const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    buildOfficeZones(app, parseBlueprint(largeBlueprint({ products: 1, components: ['data'] })));
    const templates = synthesizedTemplates(app.synth());
    const broker = templates.find((t) => t.stackName === 'OfficeZones-dev-Broker')!;
    expect(broker.account).toBeUndefined();
    expect(broker.bytes).toBeGreaterThan(1000);
    for (const path of Object.values(broker.constructPaths!))
      expect(path).toMatch(/^\/OfficeZones-dev-Broker\/\w/);
    const unnamed = Object.keys(broker.template.Resources!).filter(
      (id) => !(id in broker.constructPaths!),
    );
    expect(unnamed).toEqual([]);
  });
});
