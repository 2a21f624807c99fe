import { Construct } from 'constructs';
import { StaticWeb, StaticWebProps } from './static-web';

export interface DigitalProductProps {
  /** The product's name, e.g. `web-shop`. */
  readonly name: string;
  /**
   * A static web front end on S3 and CloudFront.
   * @default - none
   */
  readonly web?: StaticWebProps;
}

/**
 * A front-office digital product: the consumer-grade managed services one product team chose,
 * in the team's own stack.
 */
export class DigitalProduct extends Construct {
  readonly productName: string;
  readonly web?: StaticWeb;

  constructor(scope: Construct, id: string, props: DigitalProductProps) {
    super(scope, id);
    this.productName = props.name;
    if (props.web) this.web = new StaticWeb(this, 'Web', props.web);
  }
}
