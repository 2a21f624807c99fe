import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BackOfficeZone } from '../../../constructs/back-office/back-office-zone';
import { testStack } from '../../helpers';

function zone() {
  const stack = testStack();
  const backOffice = new BackOfficeZone(stack, 'Zone', {
    capabilities: [
      { name: 'orders', ledger: { partitionKey: 'orderId' }, workflow: 'record' },
      {
        name: 'catalog',
        ledger: { partitionKey: 'category', sortKey: 'sku' },
      },
    ],
  });
  return { stack, backOffice };
}

describe('BackOfficeZone and SystemOfRecord', () => {
  test('the zone key is customer-managed, rotated and retained', () => {
    const { stack } = zone();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('a ledger has point-in-time recovery, the zone key, deletion protection and is retained except when its first deploy fails', () => {
    const { stack, backOffice } = zone();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.allResources('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: stack.resolve(backOffice.key.keyArn),
        },
      }),
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'category', KeyType: 'HASH' },
        { AttributeName: 'sku', KeyType: 'RANGE' },
      ],
    });
  });

  test('only a capability that accepts commands gets an intake queue, with a dead-letter queue, KMS and TLS only', () => {
    const { stack, backOffice } = zone();
    const template = Template.fromStack(stack);
    expect(backOffice.capability('catalog').intakeQueue).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(backOffice.key.keyArn),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: Match.anyValue() },
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
      2,
    );
  });

  test('grantSubmit allows exactly sqs:SendMessage on the intake queue and the key through SQS', () => {
    const { stack, backOffice } = zone();
    const role = new iam.Role(stack, 'Broker', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });
    const orders = backOffice.capability('orders');
    orders.grantSubmit(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: stack.resolve(backOffice.key.keyArn),
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: stack.resolve(orders.intakeQueue!.queueArn),
          },
        ]),
      },
    });
  });

  test('grantRead allows exactly GetItem and Query on the ledger', () => {
    const { stack, backOffice } = zone();
    const role = new iam.Role(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });
    const catalog = backOffice.capability('catalog');
    catalog.grantRead(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query'],
            Resource: stack.resolve(catalog.ledger.tableArn),
          },
        ]),
      },
    });
  });

  test('fails when a read-only capability is asked to accept commands', () => {
    const { stack, backOffice } = zone();
    const role = new iam.Role(stack, 'Broker', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });
    expect(() => backOffice.capability('catalog').grantSubmit(role)).toThrow(
      /catalog is read-only/,
    );
  });
});
