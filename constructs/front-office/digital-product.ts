import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TagBudget } from '../cost-attribution/budget';
import { BrokerConnection, JwtAuthorizerOptions, ProductApi } from './product-api';
import { ProductData, ProductDataProps } from './product-data';
import type { ProductRoute } from './product-route';
import { StaticWeb, StaticWebProps } from './static-web';

/** A product's API: routes to broker operations, served with the product's broker credentials. */
export interface DigitalProductApiProps {
  /** One route per broker operation the product consumes, e.g. `{ route: 'POST /orders' }`. */
  readonly routes: readonly ProductRoute[];
  /** Where the broker and the product's credentials are. */
  readonly broker: BrokerConnection;
  /** The physical name of the runtime role, the only principal the broker's secret admits. */
  readonly runtimeRoleName: string;
  /**
   * The function's memory, in MiB. Range: 128 to 10,240.
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /**
   * How long the function may run per request. Range: 1 to 29 seconds, whole seconds: API Gateway
   * ends the request after that anyway.
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
   */
  readonly timeout?: Duration;
  /**
   * A JWT authorizer on every route.
   * @default - none: the routes serve anonymous visitors
   */
  readonly authorizer?: JwtAuthorizerOptions;
}

export interface DigitalProductProps {
  /** The product's name, e.g. `web-shop`; also the value of its product cost tag. */
  readonly name: string;
  /** The product owner's email address; receives the budget alerts. */
  readonly owner: string;
  /** The cost centre finance charges, e.g. `CC-3100`. */
  readonly costCentre: string;
  /** The monthly AWS budget, in US dollars. Range: greater than 0. */
  readonly monthlyBudgetUsd: number;
  /** The cost tag key whose value is the product's name (the budget filters on it). */
  readonly productTagKey: string;
  /**
   * Name of the budget, unique in the account (at most 100 characters, no `:` or `\`).
   * @default - a CloudFormation-generated name
   * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
   */
  readonly budgetName?: string;
  /**
   * Broker scopes the product consumes, e.g. `['orders/write']`.
   * @default []
   */
  readonly consumes?: readonly string[];
  /**
   * A static web front end.
   * @default - no static web front end
   */
  readonly web?: StaticWebProps;
  /**
   * An API whose routes call the broker.
   * @default - no API
   */
  readonly api?: DigitalProductApiProps;
  /**
   * A table of the product's own.
   * @default - no table
   */
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
  /** The product's name. */
  readonly productName: string;
  /** The product owner's email address. */
  readonly owner: string;
  /** The cost centre finance charges. */
  readonly costCentre: string;
  /** Broker scopes the product consumes. */
  readonly consumes: readonly string[];
  /** The static web front end, if the product has one. */
  readonly web?: StaticWeb;
  /** The API, if the product has one. */
  readonly api?: ProductApi;
  /** The table, if the product has one. */
  readonly data?: ProductData;
  /** The product's monthly budget. */
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
        memorySize: props.api.memorySize,
        timeout: props.api.timeout,
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
