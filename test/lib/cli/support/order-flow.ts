import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { processBatch } from '../../../../constructs/back-office/handlers/command-processor';
import type { WorkflowConfig } from '../../../../constructs/back-office/handlers/workflows';
import type { BrokerManifest } from '../../../../lib/contract/broker-manifest';
import {
  type BackOfficeTarget,
  type BrokerApiStandIn,
  type BrokerTranslation,
  contractTranslation,
  startBrokerApiStandIn,
} from '../../../support/broker-api-stand-in';
import { type LocalDynamo, startDynamo } from '../../../support/dynalite';
import {
  type EventSourceMapping,
  startEventSourceMapping,
} from '../../../support/event-source-mapping';
import { startSecretsCognitoStandIn } from '../../../support/secrets-cognito-stand-in';
import { startSqsStandIn } from '../../../support/sqs-stand-in';
import { referenceManifest } from './broker';

/** The web shop's app client, as the reference blueprint declares it. */
export const CLIENT_ID = '4s1sm0ke7c1ient1d0000000a';
export const CLIENT_SECRET = 'client-secret-0123456789-never-printed';
export const API_KEY = 'api-key-0123456789-never-printed';
export const WEB_SHOP_SCOPES = ['catalog/read', 'orders/write', 'orders/read'];
export const SECRET_NAME = 'office-zones/OfficeZones/dev/broker/clients/product.web-shop';
export const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET_NAME}-AbC123`;

/**
 * The order flow of a deployed reference blueprint, made of local stand-ins: the broker's token
 * endpoint (and Secrets Manager with the web shop's credentials secret), the broker's REST API,
 * the orders intake queue, the real book-to-bill workflow handler consuming it, and the ledgers in
 * dynalite. Every part can be broken by a test and is restored by `reset()`.
 */
export interface OrderFlow {
  readonly dir: string;
  readonly manifestFile: string;
  readonly credentialsFile: string;
  /** `--endpoint-url`: Secrets Manager. */
  readonly endpoint: string;
  readonly tokens: Awaited<ReturnType<typeof startSecretsCognitoStandIn>>;
  readonly api: BrokerApiStandIn;
  readonly dynamo: LocalDynamo;
  readonly mapping: EventSourceMapping;
  /** The workflow's configuration, read at every batch: a test may point it elsewhere. */
  readonly workflow: { config: WorkflowConfig };
  /** The broker's back-office targets, read at every call. */
  readonly targets: Record<string, BackOfficeTarget>;
  /** The API keys enabled in the broker's usage plans. */
  readonly apiKeys: Set<string>;
  /** Writes a file in the test's directory and returns its path. */
  file(name: string, content: unknown): string;
  /** The ledger item of an order. */
  order(orderId: string): Promise<Record<string, unknown> | undefined>;
  reset(): void;
  close(): Promise<void>;
}

const TABLES = { orders: 'orders-ledger', invoices: 'orders-invoices', catalog: 'catalog-ledger' };

export async function startOrderFlow(
  translation: (
    targets: Record<string, BackOfficeTarget>,
  ) => BrokerTranslation = contractTranslation,
): Promise<OrderFlow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-smoke-'));
  const dynamo = await startDynamo();
  await dynamo.createTable(TABLES.orders, 'orderId');
  await dynamo.createTable(TABLES.invoices, 'invoiceId');
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: TABLES.catalog,
      KeySchema: [
        { AttributeName: 'category', KeyType: 'HASH' },
        { AttributeName: 'sku', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'category', AttributeType: 'S' },
        { AttributeName: 'sku', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const tea = { category: 'tea', sku: 'TEA-001', name: 'Green tea', unitPrice: 3.5 };
  await dynamo.documents.send(
    new PutCommand({ TableName: TABLES.catalog, Item: { ...tea, view: JSON.stringify(tea) } }),
  );

  const sqs = await startSqsStandIn();
  const sqsEndpoint = await sqs.client.config.endpoint!();
  const queueUrl = `http://127.0.0.1:${sqsEndpoint.port}/000000000000/orders-intake`;
  const defaults = (): WorkflowConfig => ({
    workflow: 'book-to-bill',
    ledgerTable: TABLES.orders,
    idField: 'orderId',
    invoicesTable: TABLES.invoices,
    deadLetterQueueUrl: `http://127.0.0.1:${sqsEndpoint.port}/000000000000/orders-dlq`,
  });
  const workflow = { config: defaults() };
  const mapping = startEventSourceMapping({
    messages: sqs.messages,
    queueUrl,
    handler: (event) =>
      processBatch(event, workflow.config, { documents: dynamo.documents, sqs: sqs.client }),
  });

  const defaultTargets = (): Record<string, BackOfficeTarget> => ({
    orders: { queueUrl, ledgerTable: TABLES.orders, partitionKey: 'orderId' },
    catalog: { ledgerTable: TABLES.catalog, partitionKey: 'category', sortKey: 'sku' },
  });
  const targets = defaultTargets();
  const apiKeys = new Set([API_KEY]);
  const manifest = referenceManifest();
  // The secret holds what the broker stack puts there; its token URL is the stand-in's own.
  const tokens = await startSecretsCognitoStandIn(
    CLIENT_ID,
    CLIENT_SECRET,
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiKey: API_KEY, apiUrl: '' },
    { scopes: WEB_SHOP_SCOPES, secretName: SECRET_NAME },
  );
  const dynamoEndpoint = await dynamo.client.config.endpoint!();
  const api = await startBrokerApiStandIn({
    routes: manifest.routes,
    verifyToken: tokens.verifyAccessToken,
    apiKeys: () => apiKeys,
    translation: translation(targets),
    endpoints: {
      sqs: `http://127.0.0.1:${sqsEndpoint.port}/`,
      dynamodb: `http://127.0.0.1:${dynamoEndpoint.port}/`,
    },
  });
  // The deployed values, as the broker stack publishes them.
  const secretValue = tokens.state.versions.get('v0')!;
  secretValue.value = JSON.stringify({ ...JSON.parse(secretValue.value!), apiUrl: api.url });
  const deployed: BrokerManifest = {
    ...manifest,
    domain: { ...manifest.domain, tokenUrl: tokens.tokenUrl },
    api: { ...manifest.api, url: api.url },
  };
  const file = (name: string, content: unknown) => {
    const target = path.join(dir, name);
    fs.writeFileSync(
      target,
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
    return target;
  };
  const manifestFile = file('broker-manifest.json', deployed);
  // What `consumers onboard --out` writes (from a manifest of cdk.out: no deploy-time URLs).
  const credentialsFile = file('web-shop-credentials.json', {
    consumer: 'web-shop',
    clientName: 'product.web-shop',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: WEB_SHOP_SCOPES,
    userPoolId: 'eu-west-1_StandIn01',
    tokenUrl: null,
    apiKey: API_KEY,
    apiKeyId: 'k1a2b3',
    apiKeyHeader: 'x-api-key',
    apiUrl: null,
  });

  return {
    dir,
    manifestFile,
    credentialsFile,
    endpoint: tokens.endpoint,
    tokens,
    api,
    dynamo,
    mapping,
    workflow,
    targets,
    apiKeys,
    file,
    order: async (orderId) =>
      (await dynamo.documents.send(new GetCommand({ TableName: TABLES.orders, Key: { orderId } })))
        .Item,
    reset: () => {
      workflow.config = defaults();
      Object.assign(targets, defaultTargets());
      apiKeys.clear();
      apiKeys.add(API_KEY);
      tokens.state.clientScopes = [...WEB_SHOP_SCOPES];
      tokens.state.clientSecrets = [
        { id: `${CLIENT_ID}--1000`, value: CLIENT_SECRET, created: 1000 },
      ];
      mapping.resume();
      api.integrations.length = 0;
    },
    close: async () => {
      await mapping.stop();
      await api.close();
      await tokens.close();
      await sqs.close();
      await dynamo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
