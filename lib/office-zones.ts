import { Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Blueprint } from './blueprint';
import { stackName } from './names';
import { BackOfficeStack } from './stacks/back-office-stack';
import { BrokerStack } from './stacks/broker-stack';
import { OrganizationStack } from './stacks/organization-stack';
import { ProductStack } from './stacks/product-stack';

/** The stacks a blueprint builds. */
export interface OfficeZonesStacks {
  readonly backOffice: BackOfficeStack;
  readonly broker: BrokerStack;
  readonly products: readonly ProductStack[];
  /** The organisation policies, built only when the blueprint names OUs (`organization`). */
  readonly organization?: OrganizationStack;
}

/**
 * Builds the enterprise a blueprint describes: the back office, the broker, and one stack per
 * front-office product, plus the organisation policies when the blueprint names OUs. Every stack is environment-agnostic and makes no context lookups, so
 * synth needs no AWS credentials.
 */
export function buildOfficeZones(scope: Construct, blueprint: Blueprint): OfficeZonesStacks {
  if (!Stage.isStage(scope))
    throw new Error('Office Zones stacks belong directly to an App or a Stage');
  const id = (part: string) => stackName(blueprint, part);
  const backOffice = new BackOfficeStack(scope, id('BackOffice'), { blueprint });
  const broker = new BrokerStack(scope, id('Broker'), { blueprint, backOffice: backOffice.zone });
  const products = blueprint.frontOffice.products.map(
    (product) => new ProductStack(scope, id(`Product-${product.name}`), { blueprint, product }),
  );
  const organization = blueprint.organization
    ? new OrganizationStack(scope, id('Organization'), { blueprint })
    : undefined;
  return { backOffice, broker, products, organization };
}
