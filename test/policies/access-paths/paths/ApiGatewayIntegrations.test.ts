import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/**
 * A REST API whose POST sends to an encrypted queue and whose GET reads a table, both through one
 * credentials role; `sourceAccount` adds the trust condition API Gateway is not documented to satisfy.
 */
function apiApp(sourceAccount: boolean) {
  const app = newApp();
  const data = new Stack(app, 'Data');
  const key = new kms.Key(data, 'Key');
  const queue = new sqs.Queue(data, 'Intake', { encryptionMasterKey: key });
  const table = new dynamodb.Table(data, 'Ledger', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const broker = new Stack(app, 'Broker');
  const role = new iam.Role(broker, 'Integration', {
    roleName: 'broker-orders',
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com', {
      conditions: sourceAccount
        ? { StringEquals: { 'aws:SourceAccount': broker.account } }
        : undefined,
    }),
  });
  queue.grantSendMessages(role);
  table.grantReadData(role);
  const api = new apigw.RestApi(broker, 'Api');
  api.root.addMethod(
    'POST',
    new apigw.AwsIntegration({
      service: 'sqs',
      path: `${data.account}/${queue.queueName}`,
      options: {
        credentialsRole: role,
        requestTemplates: {
          'application/json': 'Action=SendMessageBatch&SendMessageBatchRequestEntry.1.Id=x',
        },
      },
    }),
    { operationName: 'orders.submit' },
  );
  api.root.addMethod(
    'GET',
    new apigw.AwsIntegration({
      service: 'dynamodb',
      action: 'GetItem',
      options: {
        credentialsRole: role,
        requestTemplates: {
          'application/json': JSON.stringify({ TableName: table.tableName, Key: {} }),
        },
      },
    }),
    { operationName: 'orders.get' },
  );
  return app;
}

describe('ApiGatewayIntegrations', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(apiApp(false), { Data: 'back-office', Broker: 'integration' });
    bad = await evaluate(apiApp(true), { Data: 'back-office', Broker: 'integration' });
  });

  it('lets API Gateway assume the role, send to the queue with its key and read the table', () => {
    expect(decisions(ofKind(good, 'ApiGatewayIntegrations'))).toEqual([
      'run.api-gateway.broker-orders.assume-role Allowed',
      'run.api-gateway.broker-orders.orders-submit Allowed',
      'run.api-gateway.broker-orders.orders-submit.generatedatakey Allowed',
      'run.api-gateway.broker-orders.orders-submit.decrypt Allowed',
      'run.api-gateway.broker-orders.orders-get Allowed',
      'run.api-gateway.broker-orders.orders-get.decrypt Allowed',
    ]);
    const send = ofKind(good, 'ApiGatewayIntegrations')[1];
    expect(send.action).toBe('sqs:SendMessage');
    expect(send.principal).toEqual({
      kind: 'role',
      arn: 'arn:aws:iam::111111111111:role/broker-orders',
    });
  });

  it('fails when the trust policy conditions on aws:SourceAccount, which API Gateway is not documented to send', () => {
    const [assume] = ofKind(bad, 'ApiGatewayIntegrations');
    expect(assume).toMatchObject({
      decision: 'ImplicitlyDenied',
      pass: false,
      action: 'sts:AssumeRole',
    });
    expect(assume.principal).toEqual({ kind: 'service', service: 'apigateway.amazonaws.com' });
  });
});
