import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import { DigitalProduct } from '../../constructs/front-office/digital-product';
import { acknowledge } from '../../policies/acknowledge';
import type { Blueprint, Product } from '../blueprint';
import { costTags } from '../cost-tags';
import { registerZone } from '../zones';

export interface ProductStackProps extends StackProps {
  readonly blueprint: Blueprint;
  readonly product: Product;
}

/** One front-office digital product, in its own stack, deployed by its own team. */
export class ProductStack extends Stack {
  readonly product: DigitalProduct;

  constructor(scope: Construct, id: string, props: ProductStackProps) {
    const { blueprint, product } = props;
    const tags = costTags(blueprint, {
      zone: 'front-office',
      costCentre: product.costCentre,
      owner: product.owner,
      product: product.name,
    });
    super(scope, id, {
      description: `Office Zones front-office product ${product.name} of ${blueprint.enterprise} (${blueprint.environment}).`,
      tags,
      ...props,
    });
    registerZone(this, 'front-office');

    this.product = new DigitalProduct(this, 'Product', {
      name: product.name,
      web: product.components.web,
    });
    applyCostTags(this, tags);

    const web = this.product.web;
    if (web) {
      acknowledge(web.logBucket, {
        id: 'AwsSolutions-S1',
        reason:
          'This bucket is where the access logs go; logging it into itself would loop, and the site bucket and distribution do log here.',
        reference: 'DEC-003',
      });
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
  }
}
