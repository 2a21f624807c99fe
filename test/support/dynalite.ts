import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// dynalite: a DynamoDB implementation in Node.js (in memory), served over HTTP on loopback, so
// handler tests run the real AWS SDK against real conditional writes.
const dynalite = require('dynalite');

export interface LocalDynamo {
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  createTable(name: string, partitionKey: string): Promise<void>;
  close(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: TEST_CREDENTIALS,
  });
  return {
    client,
    documents: DynamoDBDocumentClient.from(client),
    async createTable(name, partitionKey) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
