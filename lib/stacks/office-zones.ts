import { Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { requireCostTags } from '../../constructs/cost-attribution/cost-attribution';
import type { Blueprint } from '../blueprint';
import { clientName, consumers } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { brokerManifest } from '../contract/broker-manifest';
import { costExplorerRegion, managementStageName, stackName } from '../blueprint/names';
import { BackOfficeOperationsStack } from './back-office-operations-stack';
import { BackOfficeStack } from './back-office-stack';
import { BrokerStack } from './broker-stack';
import { ConsumerStack } from './consumer-stack';
import { CostManagementStack } from './cost-management-stack';
import { FrontOfficeGuardrailsStack } from './front-office-guardrails-stack';
import { OrganizationStack } from './organization-stack';
import { ProductStack } from './product-stack';

/** The stacks a blueprint builds. */
export interface OfficeZonesStacks {
  readonly backOffice: BackOfficeStack;
  /** The back office's alarms and budgets: stateless, deployed after the back office (DEC-033). */
  readonly backOfficeOperations: BackOfficeOperationsStack;
  readonly broker: BrokerStack;
  /**
   * One stack per consumer of the broker (product or partner), by client name: its app client,
   * credentials and API key. IT's, like the broker.
   */
  readonly consumers: ReadonlyMap<string, ConsumerStack>;
  readonly products: readonly ProductStack[];
  /** IT's guardrails of the front office: the permission boundary of every product role. */
  readonly frontOfficeGuardrails: FrontOfficeGuardrailsStack;
  /**
   * The stage of the management (payer) account's stacks, when the blueprint has any: not
   * top-level, so `cdk deploy --all` deploys the zones and products and leaves it out.
   */
  readonly management?: Stage;
  /**
   * For the management (payer) account, in the management stage, in Cost Explorer's region; only
   * when the blueprint has `costManagement`.
   */
  readonly costManagement?: CostManagementStack;
  /**
   * The organisation policies, in the management stage; built only when the blueprint names OUs
   * (`organization`).
   */
  readonly organization?: OrganizationStack;
}

/**
 * Every stack of a build, in deployment order: the zones and products (what `cdk deploy --all`
 * deploys), then the management account's.
 */
export function allStacks(stacks: OfficeZonesStacks): Stack[] {
  return [
    stacks.backOffice,
    stacks.backOfficeOperations,
    stacks.broker,
    ...stacks.consumers.values(),
    stacks.frontOfficeGuardrails,
    ...stacks.products,
    ...(stacks.costManagement ? [stacks.costManagement] : []),
    ...(stacks.organization ? [stacks.organization] : []),
  ];
}

/**
 * Builds the enterprise a blueprint describes: the back office and its operations (alarms and
 * budgets), the broker, the front office's
 * guardrails and one stack per product, top-level; and, when the blueprint asks for them, the
 * cost-management stack and the organisation policies in a nested stage for the management
 * account (`managementStageName`), which `cdk deploy --all` does not select. The zones' stacks
 * are environment-agnostic; the cost-management stack is pinned to Cost Explorer's region. No
 * stack makes context lookups, so synth needs no AWS credentials.
 */
export function buildOfficeZones(scope: Construct, blueprint: Blueprint): OfficeZonesStacks {
  if (!Stage.isStage(scope))
    throw new Error('Office Zones stacks belong directly to an App or a Stage');
  const id = (part: string) => stackName(blueprint, part);
  const backOffice = new BackOfficeStack(scope, id('BackOffice'), { blueprint });
  const backOfficeOperations = new BackOfficeOperationsStack(scope, id('BackOfficeOperations'), {
    blueprint,
    backOffice: backOffice.zone,
  });
  // Its alarms watch the back office's ledgers, queues and functions by name: they must exist.
  backOfficeOperations.addStackDependency(backOffice, 'alarms on the systems of record it holds');
  const broker = new BrokerStack(scope, id('Broker'), { blueprint, backOffice: backOffice.zone });
  const frontOfficeGuardrails = new FrontOfficeGuardrailsStack(scope, id('FrontOfficeGuardrails'), {
    blueprint,
  });
  // One stack per consumer, so the broker's stack is the same size whatever their number (DEC-034).
  const manifestParts = new Map(brokerManifest(blueprint).consumers.map((c) => [c.clientName, c]));
  const productsByName = new Map(blueprint.frontOffice.products.map((p) => [p.name, p]));
  const consumerStacks = new Map<string, ConsumerStack>();
  for (const consumer of consumers(blueprint)) {
    const name = clientName(consumer);
    consumerStacks.set(
      name,
      new ConsumerStack(scope, id(`Consumer-${consumer.kind}-${consumer.name}`), {
        blueprint,
        broker: broker.broker,
        consumer,
        product: consumer.kind === 'product' ? productsByName.get(consumer.name) : undefined,
        manifestPart: manifestParts.get(name)!,
      }),
    );
  }
  const products = blueprint.frontOffice.products.map((product) => {
    const stack = new ProductStack(scope, id(`Product-${product.name}`), { blueprint, product });
    // Order only, no reference: `cdk deploy --all` deploys the broker and the product's consumer
    // stack (whose SSM parameters the product reads) and the boundary first; a team deploys its
    // own stack with `cdk deploy -e`.
    stack.addStackDependency(broker, 'reads the SSM parameters the broker publishes');
    stack.addStackDependency(
      consumerStacks.get(clientName({ kind: 'product', name: product.name }))!,
      'reads the SSM parameter of its credentials, which its consumer stack publishes',
    );
    stack.addStackDependency(frontOfficeGuardrails, 'its roles carry the front-office boundary');
    return stack;
  });
  // The management account's stacks go in a stage of their own: the CLI's `--all` selects only
  // the top-level stacks of the cloud assembly, so they are deployed on purpose, not by accident.
  // Their CloudFormation stack names stay those of the blueprint (`<prefix>-<env>-CostManagement`).
  const management =
    blueprint.costManagement || blueprint.organization
      ? new Stage(scope, managementStageName(blueprint))
      : undefined;
  const costManagement =
    management && blueprint.costManagement
      ? new CostManagementStack(management, 'CostManagement', {
          stackName: id('CostManagement'),
          env: { region: costExplorerRegion(blueprint.region) },
          blueprint,
          costManagement: blueprint.costManagement,
        })
      : undefined;
  const organization =
    management && blueprint.organization
      ? new OrganizationStack(management, 'Organization', {
          stackName: id('Organization'),
          blueprint,
        })
      : undefined;
  const stacks = {
    backOffice,
    backOfficeOperations,
    broker,
    consumers: consumerStacks,
    products,
    frontOfficeGuardrails,
    management,
    costManagement,
    organization,
  };
  // One check for every stack: a taggable resource without a contract key fails synth.
  for (const stack of allStacks(stacks)) requireCostTags(stack, contractKeys(blueprint));
  return stacks;
}
