import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface ProductDataProps {
  /** @default 'pk' */
  readonly partitionKey?: string;
  /** @default - no sort key */
  readonly sortKey?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A product's own data: one DynamoDB table, paid per request.
 *
 * Default settings: on-demand capacity, encrypted at rest with an AWS-owned key, point-in-time
 * recovery, deletion protection, `RemovalPolicy.RETAIN`. String keys.
 */
export class ProductData extends Construct {
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: ProductDataProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: props.partitionKey ?? 'pk', type: dynamodb.AttributeType.STRING },
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
