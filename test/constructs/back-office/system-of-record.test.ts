import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BackOfficeZone } from '../../../constructs/back-office/back-office-zone';
import { SystemOfRecord } from '../../../constructs/back-office/system-of-record';
import { errorOf, testStack } from '../../helpers';

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

describe('SystemOfRecord.fromSystemOfRecordAttributes', () => {
  function imported(intakeQueueName?: string) {
    const stack = testStack('Broker');
    const system = SystemOfRecord.fromSystemOfRecordAttributes(stack, 'Orders', {
      capabilityName: 'orders',
      keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ledgerTableName: 'acme-dev-orders-ledger',
      ledgerKeys: { partitionKey: 'orderId' },
      intakeQueueName,
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    return { stack, system, role };
  }

  test('grants by the names it was given, formatting the ARNs in the importing stack', () => {
    const { stack, system, role } = imported('acme-dev-orders-intake');
    system.grantSubmit(role);
    system.grantRead(role);
    expect(stack.resolve(system.intakeQueue!.queueName)).toBe('acme-dev-orders-intake');
    const resources = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(resources).toContain(':acme-dev-orders-intake');
    expect(resources).toContain(':table/acme-dev-orders-ledger');
    expect(resources).not.toContain('Fn::GetStackOutput');
    expect(resources).not.toContain('Fn::ImportValue');
  });

  test('fails when asked to admit a principal or to take commands without a queue', () => {
    const { system, role } = imported();
    expect(() => system.admit('arn:aws:iam::111122223333:role/x', 'read')).toThrow(
      'capability orders was imported: admit principals in the stack that built it',
    );
    expect(() => system.grantSubmit(role)).toThrow(
      'capability orders is read-only: it has no intake queue to submit to',
    );
  });
});

describe('SystemOfRecord checks its props', () => {
  test('fails when the names or the receive count would be refused, all at once', () => {
    const stack = testStack();
    const build = () =>
      new SystemOfRecord(stack, 'Orders', {
        capabilityName: 'orders',
        encryptionKey: new kms.Key(stack, 'Key'),
        ledger: { partitionKey: 'orderId' },
        acceptsCommands: true,
        tableName: 'orders ledger',
        queueNames: { intake: 'orders.fifo', deadLetters: 'orders-dlq' },
        maxReceiveCount: 0,
      });
    expect(errorOf(build).split('\n')).toEqual([
      'Test/Orders: maxReceiveCount must be a whole number of receives from 1 to 1000 (received: 0)',
      'Test/Orders: tableName must be 3 to 255 letters, digits, underscores, hyphens or periods (received: "orders ledger")',
      'Test/Orders: queueNames.intake must be 1 to 80 letters, digits, underscores or hyphens (received: "orders.fifo")',
    ]);
  });
});
