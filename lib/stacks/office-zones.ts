import { Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { requireCostTags } from '../../constructs/cost-attribution/cost-attribution';
import type { Blueprint } from '../blueprint';
import {
  buildsEnterpriseCostManagement,
  clientName,
  consumers,
  environmentBlueprints,
  organizationPlacement,
  zoneTargets,
} from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { brokerManifest } from '../contract/broker-manifest';
import {
  costExplorerRegion,
  frontOfficeBudgetName,
  managementStageName,
  stackName,
} from '../blueprint/names';
import { BackOfficeOperationsStack } from './back-office-operations-stack';
import { BackOfficeStack } from './back-office-stack';
import { BrokerStack } from './broker-stack';
import { ConsumerStack } from './consumer-stack';
import { CostManagementStack, FrontOfficeBudget } from './cost-management-stack';
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
  /**
   * IT's guardrails of the front office: the permission boundary of every product role, in the
   * front office's (default) account.
   */
  readonly frontOfficeGuardrails: FrontOfficeGuardrailsStack;
  /**
   * The guardrails of every front-office account, by account id, when the blueprint declares
   * accounts (`frontOfficeGuardrails` is the default account's); empty without accounts.
   */
  readonly frontOfficeGuardrailsByAccount: ReadonlyMap<string, FrontOfficeGuardrailsStack>;
  /**
   * The stage of the management (payer) account's stacks, when the blueprint has any: not
   * top-level, so `cdk deploy --all` deploys the zones and products and leaves it out.
   */
  readonly management?: Stage;
  /**
   * For the management (payer) account, in Cost Explorer's region; only when the blueprint has
   * `costManagement`. Without accounts it is in the management stage; with them it is the
   * enterprise's one stack, `<stackPrefix>-CostManagement`, with a front-office budget per
   * environment, built in the first environment's stage only (DEC-038).
   */
  readonly costManagement?: CostManagementStack;
  /**
   * The organisation policies, built only when OUs are named for this build
   * (`organizationPlacement`, DEC-038): without accounts in the management stage; with them the
   * enterprise's `<stackPrefix>-Organization` in the first stage that shares the blueprint's
   * `organization`, or an environment's own `<stackPrefix>-<environment>-Organization`.
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
    ...new Set([stacks.frontOfficeGuardrails, ...stacks.frontOfficeGuardrailsByAccount.values()]),
    ...stacks.products,
    ...(stacks.costManagement ? [stacks.costManagement] : []),
    ...(stacks.organization ? [stacks.organization] : []),
  ];
}

/**
 * Builds the enterprise a (per-environment) blueprint describes: the back office and its
 * operations (alarms and budgets), the broker, one stack per consumer, the front office's
 * guardrails and one stack per product; and, when the blueprint asks for them, the
 * cost-management stack and the organisation policies for the management account.
 *
 * Without accounts (no `environments`, the quick start) every stack is environment-agnostic and
 * top-level in `scope`, and the management account's stacks go in a nested stage
 * (`managementStageName`) that `cdk deploy --all` does not select. With accounts (`scope` is the
 * environment's stage, see `synthOfficeZones`), every stack has an explicit `env`: the back
 * office's account, the integration account (broker, consumers), each front-office account (its
 * guardrails, its products), the management account in Cost Explorer's region (DEC-035). No
 * stack makes context lookups, so synth needs no AWS credentials.
 */
export function buildOfficeZones(scope: Construct, blueprint: Blueprint): OfficeZonesStacks {
  if (!Stage.isStage(scope))
    throw new Error('Office Zones stacks belong directly to an App or a Stage');
  // Every stack is named `<prefix>-<env>-<part>`, and says so (`stackName`): in an environment's
  // stage aws-cdk-lib would otherwise put the stage's name in front again.
  const id = (part: string) => stackName(blueprint, part);
  const targets = zoneTargets(blueprint);
  const backOffice = new BackOfficeStack(scope, id('BackOffice'), {
    stackName: id('BackOffice'),
    blueprint,
    env: targets?.backOffice,
  });
  const backOfficeOperations = new BackOfficeOperationsStack(scope, id('BackOfficeOperations'), {
    stackName: id('BackOfficeOperations'),
    blueprint,
    backOffice: backOffice.zone,
    env: targets?.backOffice,
  });
  // Its alarms watch the back office's ledgers, queues and functions by name: they must exist.
  backOfficeOperations.addStackDependency(backOffice, 'alarms on the systems of record it holds');
  const broker = new BrokerStack(scope, id('Broker'), {
    stackName: id('Broker'),
    blueprint,
    backOffice: backOffice.zone,
    env: targets?.integration,
  });
  // Its integrations send to the back office's queues and read its ledgers, which admit its
  // roles by name: the back office is deployed first (in one account the key's ARN makes this
  // dependency anyway; across accounts there is no reference).
  broker.addStackDependency(backOffice, 'sends to the queues and reads the ledgers it holds');
  // The permission boundary must exist in every account a product runs in.
  const frontOfficeGuardrails = new FrontOfficeGuardrailsStack(scope, id('FrontOfficeGuardrails'), {
    stackName: id('FrontOfficeGuardrails'),
    blueprint,
    env: targets?.frontOffice,
  });
  const frontOfficeGuardrailsByAccount = new Map<string, FrontOfficeGuardrailsStack>();
  if (targets) {
    frontOfficeGuardrailsByAccount.set(targets.frontOffice.account, frontOfficeGuardrails);
    for (const account of targets.frontOfficeAccounts) {
      if (frontOfficeGuardrailsByAccount.has(account)) continue;
      frontOfficeGuardrailsByAccount.set(
        account,
        new FrontOfficeGuardrailsStack(scope, id(`FrontOfficeGuardrails-${account}`), {
          stackName: id(`FrontOfficeGuardrails-${account}`),
          blueprint,
          env: { account, region: targets.frontOffice.region },
        }),
      );
    }
  }
  // One stack per consumer, so the broker's stack is the same size whatever their number (DEC-034).
  const manifestParts = new Map(brokerManifest(blueprint).consumers.map((c) => [c.clientName, c]));
  const productsByName = new Map(blueprint.frontOffice.products.map((p) => [p.name, p]));
  const consumerStacks = new Map<string, ConsumerStack>();
  for (const consumer of consumers(blueprint)) {
    const name = clientName(consumer);
    consumerStacks.set(
      name,
      new ConsumerStack(scope, id(`Consumer-${consumer.kind}-${consumer.name}`), {
        stackName: id(`Consumer-${consumer.kind}-${consumer.name}`),
        blueprint,
        broker: broker.broker,
        consumer,
        product: consumer.kind === 'product' ? productsByName.get(consumer.name) : undefined,
        manifestPart: manifestParts.get(name)!,
        env: targets?.integration,
      }),
    );
  }
  const products = blueprint.frontOffice.products.map((product) => {
    const target = targets?.product(product.name);
    const stack = new ProductStack(scope, id(`Product-${product.name}`), {
      stackName: id(`Product-${product.name}`),
      blueprint,
      product,
      env: target,
    });
    // Order only, no reference: `cdk deploy --all` deploys the broker and the product's consumer
    // stack (whose SSM parameters the product reads) and the boundary first; a team deploys its
    // own stack with `cdk deploy -e`.
    stack.addStackDependency(broker, 'reads the SSM parameters the broker publishes');
    stack.addStackDependency(
      consumerStacks.get(clientName({ kind: 'product', name: product.name }))!,
      'reads the SSM parameter of its credentials, which its consumer stack publishes',
    );
    stack.addStackDependency(
      (target && frontOfficeGuardrailsByAccount.get(target.account)) ?? frontOfficeGuardrails,
      'its roles carry the front-office boundary',
    );
    return stack;
  });
  // Without accounts, the management account's stacks go in a stage of their own: the CLI's
  // `--all` selects only the top-level stacks of the cloud assembly, so they are deployed on
  // purpose, not by accident. With accounts they are in the environment's stage, in the
  // management account. Their CloudFormation stack names stay those of the blueprint
  // (`<prefix>-<env>-CostManagement`).
  // With environments, the management account's stacks are the enterprise's, not an
  // environment's (DEC-038): one cost-management stack (a cost category name is one per account)
  // with a front-office budget per environment, and one organisation stack per set of OUs. Each
  // is built in the stage of the first environment it serves.
  const placement = organizationPlacement(blueprint);
  const costManagementHere = blueprint.costManagement && buildsEnterpriseCostManagement(blueprint);
  const wantsManagement = costManagementHere || placement;
  const management =
    wantsManagement && !targets ? new Stage(scope, managementStageName(blueprint)) : undefined;
  const managementScope = targets ? scope : management;
  const managementAccount = targets?.management?.account;
  const enterpriseName = (part: string) => `${blueprint.stackPrefix}-${part}`;
  const costManagement =
    managementScope && blueprint.costManagement && costManagementHere
      ? new CostManagementStack(
          managementScope,
          targets ? enterpriseName('CostManagement') : 'CostManagement',
          {
            stackName: targets ? enterpriseName('CostManagement') : id('CostManagement'),
            env: {
              ...(managementAccount ? { account: managementAccount } : {}),
              region: costExplorerRegion(targets?.management?.region ?? blueprint.region),
            },
            blueprint,
            costManagement: blueprint.costManagement,
            ...(targets ? { frontOfficeBudgets: frontOfficeBudgets(blueprint) } : {}),
          },
        )
      : undefined;
  const organizationId = placement?.shared ? enterpriseName('Organization') : id('Organization');
  const organization =
    managementScope && placement
      ? new OrganizationStack(managementScope, targets ? organizationId : 'Organization', {
          stackName: organizationId,
          blueprint,
          organization: placement.organization,
          ...(placement.shared ? { shared: true } : {}),
          ...(placement.regions ? { backupRegions: placement.regions } : {}),
          ...(managementAccount
            ? {
                // AWS Organizations is a global service whose endpoint is in us-east-1 (the
                // China partition's in cn-northwest-1), where Cost Explorer is too.
                env: {
                  account: managementAccount,
                  region: costExplorerRegion(targets?.management?.region),
                },
              }
            : {}),
        })
      : undefined;
  const stacks = {
    backOffice,
    backOfficeOperations,
    broker,
    consumers: consumerStacks,
    products,
    frontOfficeGuardrails,
    frontOfficeGuardrailsByAccount,
    management,
    costManagement,
    organization,
  };
  // One check for every stack: a taggable resource without a contract key fails synth.
  for (const stack of allStacks(stacks)) requireCostTags(stack, contractKeys(blueprint));
  return stacks;
}

/**
 * One front-office budget per environment of a blueprint with `environments`: the sum of the
 * product budgets, over the environment's front-office accounts (DEC-038).
 */
export function frontOfficeBudgets(blueprint: Blueprint): FrontOfficeBudget[] {
  // In cents, so that 0.1 + 0.2 is 0.3.
  const monthlyLimitUsd =
    blueprint.frontOffice.products.reduce(
      (sum, p) => sum + Math.round(p.monthlyBudgetUsd * 100),
      0,
    ) / 100;
  if (monthlyLimitUsd === 0) return [];
  return environmentBlueprints(blueprint).flatMap((env) => {
    const targets = zoneTargets(env);
    return targets
      ? [
          {
            environment: env.environment,
            budgetName: frontOfficeBudgetName(env),
            accounts: targets.frontOfficeAccounts,
            monthlyLimitUsd,
          },
        ]
      : [];
  });
}
