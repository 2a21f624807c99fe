import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  DigitalProduct,
  DigitalProductApiProps,
} from '../../constructs/front-office/digital-product';
import type { ProductRoute } from '../../constructs/front-office/product-route';
import { acknowledge } from '../../policies/acknowledge';
import { Blueprint, operationMethod, operationScope, Product, zoneTargets } from '../blueprint';
import { pascal } from '../../constructs/naming';
import { sharedParameterArn } from './parameter-sharing';
import { frontOfficeBoundaryArn } from './front-office-boundary';
import {
  brokerParameterNames,
  productBudgetName,
  productCredentialsParameterName,
  productRuntimeRoleName,
} from '../blueprint/names';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface ProductStackProps extends Omit<ZoneStackProps, 'attribution'> {
  readonly product: Product;
}

/**
 * One front-office digital product, in its own stack, deployed by its own team.
 *
 * It reaches the back office only through the broker: the broker's URLs and the product's
 * credentials are read at deploy time from the SSM parameters the broker stack publishes (deploy
 * the broker first). Every role in the stack, CDK's own included, carries the front office's
 * permission boundary (deploy the front-office guardrails stack first).
 */
export class ProductStack extends ZoneStack {
  readonly product: DigitalProduct;

  constructor(scope: Construct, id: string, props: ProductStackProps) {
    const { blueprint, product } = props;
    super(scope, id, {
      description: `Office Zones front-office product ${product.name} of ${blueprint.enterprise} (${blueprint.environment}).`,
      ...props,
      attribution: {
        zone: 'front-office',
        costCentre: product.costCentre,
        owner: product.owner,
        product: product.name,
      },
    });

    const { web, api, data } = product.components;
    this.product = new DigitalProduct(this, 'Product', {
      name: product.name,
      owner: product.owner,
      costCentre: product.costCentre,
      monthlyBudgetUsd: product.monthlyBudgetUsd,
      productTagKey: blueprint.costTags.product.key,
      budgetName: productBudgetName(blueprint, product.name),
      consumes: product.consumes,
      web,
      data,
      api: api
        ? {
            routes: consumedRoutes(blueprint, product),
            broker: this.brokerConnection(blueprint, product),
            runtimeRoleName: productRuntimeRoleName(blueprint, product.name),
            // The blueprint speaks in MiB and seconds; the constructs in aws-cdk-lib's words.
            memorySize: api.memoryMb,
            timeout: Duration.seconds(api.timeoutSeconds),
            authorizer: api.authorizer,
          }
        : undefined,
    });
    // An aspect: it reaches every role, those CDK makes for itself included.
    iam.PermissionsBoundary.of(this).apply(
      iam.ManagedPolicy.fromManagedPolicyArn(
        this,
        'FrontOfficeBoundary',
        frontOfficeBoundaryArn(this, blueprint),
      ),
    );

    this.acknowledgeWeb(product);
    this.acknowledgeApi(product);
  }

  /** The broker's published values, read by CloudFormation at deploy time (no context lookup). */
  private brokerConnection(
    blueprint: Blueprint,
    product: Product,
  ): DigitalProductApiProps['broker'] {
    const names = brokerParameterNames(blueprint);
    // In the integration account the parameters are read by name; from a product's own account
    // by ARN, the way CloudFormation reads a parameter shared through AWS RAM (DEC-036).
    const zones = zoneTargets(blueprint);
    const integration = zones?.integration.account;
    const shared =
      integration !== undefined && integration !== zones?.product(product.name).account;
    const read = (name: string) =>
      shared
        ? ssm.StringParameter.fromStringParameterArn(
            this,
            `Shared${pascal(name.split('/').pop()!)}`,
            sharedParameterArn(this, integration, name),
          ).stringValue
        : ssm.StringParameter.valueForStringParameter(this, name);
    return {
      apiUrl: read(names.apiUrl),
      tokenUrl: read(names.tokenUrl),
      credentialsKeyArn: read(names.credentialsKeyArn),
      credentialsSecretArn: read(productCredentialsParameterName(blueprint, product.name)),
      scopes: product.consumes,
    };
  }

  private acknowledgeWeb(product: Product) {
    const web = this.product.web;
    if (!web) return;
    if (!product.components.web?.customDomain) {
      acknowledge(web.distribution, {
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution serves the default *.cloudfront.net certificate, which CloudFront pins to TLSv1; set components.web.customDomain to require TLS 1.2.',
        reference: 'DEC-001',
      });
    }
    if (!product.components.web?.webAclArn) {
      acknowledge(web.distribution, {
        id: 'AwsSolutions-CFR2',
        reason:
          'A CloudFront web ACL can only be created in us-east-1 and this stack is region-agnostic; the product has declared no web ACL (components.web.webAclArn) and serves static files only.',
        reference: 'DEC-002',
      });
    }
  }

  private acknowledgeApi(product: Product) {
    const api = this.product.api;
    if (!api) return;
    acknowledge(api.runtimeRole, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray accepts trace segments only on Resource "*" (it has no resource-level permissions); every other statement of the runtime role names its exact resource.',
      reference: 'DEC-005',
    });
    if (!product.components.api?.authorizer) {
      acknowledge(api.httpApi, {
        id: 'AwsSolutions-APIG4',
        reason:
          "The product's API serves anonymous shoppers (catalogue, guest checkout); its back-office calls are authorised by the broker with the product's own credentials and scopes. Set components.api.authorizer to require sign-in.",
        reference: 'DEC-008',
      });
    }
  }
}

/** One route per broker operation the product consumes, with the query parameters it takes. */
export function consumedRoutes(blueprint: Blueprint, product: Product): ProductRoute[] {
  return blueprint.backOffice.capabilities.flatMap((capability) =>
    capability.operations
      .filter((op) => product.consumes.includes(operationScope(capability, op)))
      .map((op) => ({
        route: `${operationMethod(op)} ${op.path}`,
        ...(op.queryParameters?.length ? { query: op.queryParameters } : {}),
      })),
  );
}
