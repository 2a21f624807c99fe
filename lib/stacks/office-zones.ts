import { Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { requireCostTags } from '../../constructs/cost-attribution/cost-attribution';
import type { Blueprint } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { stackName } from '../blueprint/names';
import { BackOfficeStack } from './back-office-stack';
import { BrokerStack } from './broker-stack';
import { CostManagementStack } from './cost-management-stack';
import { FrontOfficeGuardrailsStack } from './front-office-guardrails-stack';
import { OrganizationStack } from './organization-stack';
import { ProductStack } from './product-stack';

/** The stacks a blueprint builds. */
export interface OfficeZonesStacks {
  readonly backOffice: BackOfficeStack;
  readonly broker: BrokerStack;
  readonly products: readonly ProductStack[];
  /** IT's guardrails of the front office: the permission boundary of every product role. */
  readonly frontOfficeGuardrails: FrontOfficeGuardrailsStack;
  /** For the management (payer) account; only when the blueprint has `costManagement`. */
  readonly costManagement?: CostManagementStack;
  /** The organisation policies, built only when the blueprint names OUs (`organization`). */
  readonly organization?: OrganizationStack;
}

/** Every stack of a build, in deployment order. */
export function allStacks(stacks: OfficeZonesStacks): Stack[] {
  return [
    stacks.backOffice,
    stacks.broker,
    stacks.frontOfficeGuardrails,
    ...stacks.products,
    ...(stacks.costManagement ? [stacks.costManagement] : []),
    ...(stacks.organization ? [stacks.organization] : []),
  ];
}

/**
 * Builds the enterprise a blueprint describes: the back office, the broker, the front office's
 * guardrails and one stack per product, plus the cost-management stack and the organisation
 * policies when the blueprint asks for them. Every stack is environment-agnostic and makes no
 * context lookups, so synth needs no AWS credentials.
 */
export function buildOfficeZones(scope: Construct, blueprint: Blueprint): OfficeZonesStacks {
  if (!Stage.isStage(scope))
    throw new Error('Office Zones stacks belong directly to an App or a Stage');
  const id = (part: string) => stackName(blueprint, part);
  const backOffice = new BackOfficeStack(scope, id('BackOffice'), { blueprint });
  const broker = new BrokerStack(scope, id('Broker'), { blueprint, backOffice: backOffice.zone });
  const frontOfficeGuardrails = new FrontOfficeGuardrailsStack(scope, id('FrontOfficeGuardrails'), {
    blueprint,
  });
  const products = blueprint.frontOffice.products.map((product) => {
    const stack = new ProductStack(scope, id(`Product-${product.name}`), { blueprint, product });
    // Order only, no reference: `cdk deploy --all` deploys the broker (whose SSM parameters the
    // product reads) and the boundary first; a team deploys its own stack with `cdk deploy -e`.
    stack.addStackDependency(broker, 'reads the SSM parameters the broker publishes');
    stack.addStackDependency(frontOfficeGuardrails, 'its roles carry the front-office boundary');
    return stack;
  });
  const costManagement = blueprint.costManagement
    ? new CostManagementStack(scope, id('CostManagement'), {
        blueprint,
        costManagement: blueprint.costManagement,
      })
    : undefined;
  const organization = blueprint.organization
    ? new OrganizationStack(scope, id('Organization'), { blueprint })
    : undefined;
  const stacks = {
    backOffice,
    broker,
    products,
    frontOfficeGuardrails,
    costManagement,
    organization,
  };
  // One check for every stack: a taggable resource without a contract key fails synth.
  for (const stack of allStacks(stacks)) requireCostTags(stack, contractKeys(blueprint));
  return stacks;
}
