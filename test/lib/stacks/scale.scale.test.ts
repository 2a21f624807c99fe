import { parseBlueprint } from '../../../lib/blueprint';
import { brokerParameterNames } from '../../../lib/blueprint/names';
import {
  limitProblems,
  SSM_PARAMETER_LIMITS,
  synthesizedTemplates,
} from '../../../lib/stacks/limits';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import { limitsApp } from '../../helpers';
import { largeBlueprint } from '../../support/large-blueprint';

/**
 * Run by `npm run test:scale` (CI runs it after `npm test`): building 400 products takes longer
 * than the rest of the suite together.
 *
 * The enterprise the product brief promises, built as `cdk synth` builds it with validation off
 * (no cdk-nag, no access paths, no bundling: the templates are the same): every stack stays well
 * within CloudFormation's limits (500 resources, 1 MB), and every SSM parameter within its tier.
 * The goals are stricter than AWS's limits, to leave headroom: 450 resources and 800 KB.
 */
const GOAL = { resources: 450, bytes: 800 * 1024 };

function synthesize(input: ReturnType<typeof largeBlueprint>) {
  const blueprint = parseBlueprint(input);
  const app = limitsApp();
  buildOfficeZones(app, blueprint);
  return { blueprint, templates: synthesizedTemplates(app.synth()) };
}

function largest(templates: ReturnType<typeof synthesizedTemplates>) {
  const by = (f: (t: (typeof templates)[number]) => number) =>
    templates.reduce((a, b) => (f(b) > f(a) ? b : a));
  const count = (t: (typeof templates)[number]) => Object.keys(t.template.Resources ?? {}).length;
  const most = by(count);
  const biggest = by((t) => t.bytes);
  return {
    resources: { stack: most.stackName, count: count(most) },
    bytes: { stack: biggest.stackName, bytes: biggest.bytes },
  };
}

/** Every SSM parameter's literal value, by name, with its tier. */
function parameters(templates: ReturnType<typeof synthesizedTemplates>) {
  return templates.flatMap((t) =>
    Object.values(t.template.Resources ?? {})
      .filter((r) => r.Type === 'AWS::SSM::Parameter')
      .map((r) => ({
        name: String(r.Properties!.Name),
        tier: String(r.Properties!.Tier ?? 'Standard') as keyof typeof SSM_PARAMETER_LIMITS,
        bytes: Buffer.byteLength(JSON.stringify(r.Properties!.Value)),
      })),
  );
}

describe('400 products and 10 capabilities', () => {
  const { blueprint, templates } = synthesize(largeBlueprint({ products: 400, capabilities: 10 }));

  test('build 806 stacks, none over 450 resources or 800 KB, within every AWS limit and quota', () => {
    // Back office and its operations, broker, guardrails; a stack per product and per consumer
    // (400 products and the partner); the cost-management stack.
    expect(templates).toHaveLength(4 + 400 + 401 + 1);
    const { resources, bytes } = largest(templates);
    expect(resources.count).toBeLessThan(GOAL.resources);
    expect(bytes.bytes).toBeLessThan(GOAL.bytes);
    expect(limitProblems(templates, blueprint.deployment.accountQuotas)).toEqual([]);
  });

  test("the broker's stack is the size it has with one product: consumers live in their own stacks", () => {
    const one = synthesize(largeBlueprint({ products: 1, capabilities: 10 })).templates;
    const broker = (ts: typeof templates) =>
      Object.keys(ts.find((t) => t.stackName === 'OfficeZones-dev-Broker')!.template.Resources!)
        .length;
    expect(broker(templates)).toBe(broker(one));
  });

  test('the manifest is published in parts, each within its SSM tier, one per consumer', () => {
    const names = brokerParameterNames(blueprint);
    const published = parameters(templates);
    for (const p of published) expect(p.bytes).toBeLessThanOrEqual(SSM_PARAMETER_LIMITS[p.tier]);
    expect(published.filter((p) => p.name.startsWith(names.manifestConsumersPath))).toHaveLength(
      400 + blueprint.broker.partners.length,
    );
    expect(published.filter((p) => p.name.startsWith(names.manifestCapabilitiesPath))).toHaveLength(
      10,
    );
  });
});

describe('25 capabilities with their budgets', () => {
  test('fit every stack under 450 resources and 800 KB, with every manifest part within its tier', () => {
    const { blueprint, templates } = synthesize(largeBlueprint({ products: 1, capabilities: 25 }));
    expect(blueprint.backOffice.capabilities).toHaveLength(25);
    expect(blueprint.backOffice.budgets?.length ?? 0).toBeGreaterThan(0);
    const { resources, bytes } = largest(templates);
    expect(resources.count).toBeLessThan(GOAL.resources);
    expect(bytes.bytes).toBeLessThan(GOAL.bytes);
    for (const p of parameters(templates))
      expect(p.bytes).toBeLessThanOrEqual(SSM_PARAMETER_LIMITS[p.tier]);
    expect(limitProblems(templates, blueprint.deployment.accountQuotas)).toEqual([]);
  });
});
