import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { Broker } from '../../constructs/broker/broker';
import { ConsumerAccess } from '../../constructs/broker/consumer-access';
import { clientName, Consumer, type Product, SHARED_PRODUCT_TAGS, zoneTargets } from '../blueprint';
import { shareParameters } from './parameter-sharing';
import {
  brokerParameterNames,
  productCredentialsParameterName,
  consumerCredentialsSecretName,
  productRuntimeRoleName,
} from '../blueprint/names';
import { type ConsumerManifestPart, encodeManifestPart } from '../contract/broker-manifest';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface ConsumerStackProps extends Omit<ZoneStackProps, 'attribution'> {
  /** The broker the consumer calls; this stack deploys after the broker's. */
  readonly broker: Broker;
  /** The consumer, as the blueprint declares it (`consumers(blueprint)`). */
  readonly consumer: Consumer;
  /** The product the consumer is, for its cost attribution; undefined for a partner. */
  readonly product?: Product;
  /** The consumer's entry in the broker manifest, published by this stack. */
  readonly manifestPart: ConsumerManifestPart;
}

/**
 * What one consumer of the broker needs, in a stack of its own that IT owns: its app client, its
 * credentials secret (rotated), its API key in its usage plan, where a product finds the secret
 * (an SSM parameter) and its part of the broker manifest. One stack per consumer keeps the
 * broker's stack the same size whatever the number of consumers, and adding a product deploys
 * only its own stacks (DEC-034). A product's consumer stack is attributed to the product (its
 * cost centre and `Product` tag) in the integration zone, so finance sees what each product's
 * door costs; a partner's to the broker.
 */
export class ConsumerStack extends ZoneStack {
  readonly access: ConsumerAccess;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    const { blueprint, broker, consumer, product } = props;
    const name = clientName(consumer);
    super(scope, id, {
      // It holds live credentials: deleting it cuts the consumer off (README, "Removing a product
      // or partner").
      terminationProtection: true,
      description: `Office Zones broker consumer ${name} of ${blueprint.enterprise} (${blueprint.environment}): its app client, credentials and API key.`,
      ...props,
      attribution: {
        zone: 'integration',
        costCentre: product?.costCentre ?? blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: product?.name ?? SHARED_PRODUCT_TAGS.broker,
      },
    });

    // A product that owns its account runs there; the door to its credentials crosses to it.
    const productAccount =
      consumer.kind === 'product'
        ? zoneTargets(blueprint)?.product(consumer.name).account
        : undefined;
    const crossAccount =
      productAccount !== undefined &&
      productAccount !== zoneTargets(blueprint)?.integration.account;
    this.access = new ConsumerAccess(this, 'Consumer', {
      broker,
      consumer,
      credentials:
        consumer.kind === 'product'
          ? {
              secretName: consumerCredentialsSecretName(blueprint, consumer),
              // The product's runtime role, by the name its stack gives it: no reference, so the
              // product stack may deploy after this one.
              admittedPrincipalArns: [
                this.formatArn({
                  service: 'iam',
                  region: '',
                  account: productAccount,
                  resource: 'role',
                  resourceName: productRuntimeRoleName(blueprint, consumer.name),
                }),
              ],
            }
          : { secretName: consumerCredentialsSecretName(blueprint, consumer) },
    });

    if (consumer.kind === 'product') {
      const parameter = new ssm.StringParameter(this, 'CredentialsParameter', {
        parameterName: productCredentialsParameterName(blueprint, consumer.name),
        stringValue: this.access.credentials.secret.secretArn,
        description: `Office Zones broker: where ${consumer.name} finds its credentials`,
        tier: ssm.ParameterTier.STANDARD,
      });
      // The product's own account reads where its credentials are, and nothing else of this stack.
      if (crossAccount)
        shareParameters(this, 'CredentialsParameterShare', [parameter], [productAccount]);
    }
    new ssm.StringParameter(this, 'ManifestParameter', {
      parameterName: `${brokerParameterNames(blueprint).manifestConsumersPath}${name}`,
      stringValue: encodeManifestPart(props.manifestPart),
      description: `Office Zones broker manifest: consumer ${name}`,
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}
