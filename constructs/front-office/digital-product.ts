import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TagBudget } from '../cost-attribution/budget';
import type { BrokerRoute } from './handlers/broker-api';
import { BrokerConnection, ProductApi } from './product-api';
import { ProductData, ProductDataProps } from './product-data';
import { StaticWeb, StaticWebProps } from './static-web';

/** A product's API: routes to broker operations, served with the product's broker credentials. */
export interface DigitalProductApiProps {
  /** One route per broker operation the product consumes, e.g. `{ route: 'POST /orders' }`. */
  readonly routes: readonly BrokerRoute[];
  readonly broker: BrokerConnection;
  /** The physical name of the runtime role, the only principal the broker's secret admits. */
  readonly runtimeRoleName: string;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default - none: anonymous visitors */
  readonly authorizer?: { readonly issuer: string; readonly audiences: readonly string[] };
}

export interface DigitalProductProps {
  /** The product's name, e.g. `web-shop`; also the value of its product cost tag. */
  readonly name: string;
  /** The product owner; receives the budget alerts. */
  readonly owner: string;
  /** The cost centre finance charges. */
  readonly costCentre: string;
  /** The monthly AWS budget in US dollars. */
  readonly monthlyBudgetUsd: number;
  /** The cost tag key whose value is the product's name (the budget filters on it). */
  readonly productTagKey: string;
  /**
   * Name of the budget, unique in the account.
   * @default - a CloudFormation-generated name
   */
  readonly budgetName?: string;
  /**
   * Broker scopes the product consumes, e.g. `['orders/write']`.
   * @default []
   */
  readonly consumes?: readonly string[];
  /** @default - no static web front end */
  readonly web?: StaticWebProps;
  /** @default - no API */
  readonly api?: DigitalProductApiProps;
  /** @default - no table */
  readonly data?: ProductDataProps;
}

/**
 * A front-office digital product: the consumer-grade managed services one product team chose,
 * in the team's own stack, with its own budget.
 *
 * Default settings:
 * - each component is optional: `StaticWeb`, `ProductApi`, `ProductData` (see their defaults);
 * - with both web and API, the API admits browser calls (CORS) from the distribution's domain
 *   (and the custom domain, if any) only;
 * - a monthly `TagBudget` on the product's cost tag, alerting the owner at 80% actual and 100%
 *   forecast spend.
 *
 * Cost tags are not applied here: apply the cost-tag contract to the stack with `applyCostTags`,
 * as `ProductStack` does.
 */
export class DigitalProduct extends Construct {
  readonly productName: string;
  readonly owner: string;
  readonly costCentre: string;
  readonly consumes: readonly string[];
  readonly web?: StaticWeb;
  readonly api?: ProductApi;
  readonly data?: ProductData;
  readonly budget: TagBudget;

  constructor(scope: Construct, id: string, props: DigitalProductProps) {
    super(scope, id);
    this.productName = props.name;
    this.owner = props.owner;
    this.costCentre = props.costCentre;
    this.consumes = props.consumes ?? [];

    if (props.web) this.web = new StaticWeb(this, 'Web', props.web);
    if (props.data) this.data = new ProductData(this, 'Data', props.data);
    if (props.api) {
      const origins = this.web
        ? [
            `https://${this.web.distribution.distributionDomainName}`,
            ...(props.web?.customDomain ? [`https://${props.web.customDomain.domainName}`] : []),
          ]
        : undefined;
      this.api = new ProductApi(this, 'Api', {
        routes: props.api.routes,
        broker: props.api.broker,
        runtimeRoleName: props.api.runtimeRoleName,
        memorySize: props.api.memoryMb,
        timeout: props.api.timeoutSeconds ? Duration.seconds(props.api.timeoutSeconds) : undefined,
        authorizer: props.api.authorizer,
        allowedOrigins: origins,
      });
    }

    this.budget = new TagBudget(this, 'Budget', {
      budgetName: props.budgetName,
      monthlyLimitUsd: props.monthlyBudgetUsd,
      tag: { key: props.productTagKey, value: props.name },
      notify: [props.owner],
    });
  }
}
