import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { FRONT_OFFICE_DEFAULTS } from './defaults';

export interface ProductDataProps {
  /**
   * The partition key's attribute name (a string attribute).
   * @default 'pk'
   */
  readonly partitionKey?: string;
  /**
   * The sort key's attribute name (a string attribute).
   * @default - no sort key
   */
  readonly sortKey?: string;
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A product's own data: one DynamoDB table, paid per request.
 *
 * Default settings: on-demand capacity, encrypted at rest with an AWS-owned key, point-in-time
 * recovery, deletion protection, `RemovalPolicy.RETAIN`. String keys.
 */
export class ProductData extends Construct {
  /** The table. */
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: ProductDataProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: {
        name: props.partitionKey ?? FRONT_OFFICE_DEFAULTS.productData.partitionKey,
        type: dynamodb.AttributeType.STRING,
      },
      sortKey: props.sortKey
        ? { name: props.sortKey, type: dynamodb.AttributeType.STRING }
        : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
