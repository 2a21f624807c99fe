import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import {
  commandOf,
  configFromEnvironment,
  processBatch,
} from '../../../../constructs/back-office/handlers/command-processor';
import { runWorkflow, WorkflowConfig } from '../../../../constructs/back-office/handlers/workflows';
import { LocalDynamo, startDynamo } from '../../../support/dynalite';
import { ReceivedMessage, startSqsStandIn } from '../../../support/sqs-stand-in';

const ORDER = {
  orderId: 'ORD-0001-ABCD',
  customerId: 'C-42',
  currency: 'GBP',
  lines: [
    { sku: 'TEA-001', quantity: 2, unitPrice: 3.1 },
    { sku: 'MUG-002', quantity: 1, unitPrice: 7.99 },
  ],
};

const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq';
const bookToBill: WorkflowConfig = {
  workflow: 'book-to-bill',
  ledgerTable: 'orders',
  idField: 'orderId',
  invoicesTable: 'invoices',
  deadLetterQueueUrl: DLQ,
};
const record: WorkflowConfig = {
  workflow: 'record',
  ledgerTable: 'returns',
  idField: 'returnId',
  deadLetterQueueUrl: DLQ,
};

function message(body: unknown, id = 'm-1') {
  return {
    messageId: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    messageAttributes: {
      clientId: { stringValue: 'client-web-shop', dataType: 'String' },
      requestId: { stringValue: `req-${id}`, dataType: 'String' },
      operation: { stringValue: 'orders.submit', dataType: 'String' },
      receivedAt: { stringValue: '1764201600000', dataType: 'Number' },
    },
  } as unknown as SQSEvent['Records'][number];
}

describe('book to bill', () => {
  let dynamo: LocalDynamo;
  let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
  let clients: { documents: LocalDynamo['documents']; sqs: typeof sqs.client; now: () => Date };
  const at = new Date('2026-11-27T10:00:00Z');

  beforeEach(async () => {
    dynamo = await startDynamo();
    sqs = await startSqsStandIn();
    await dynamo.createTable('orders', 'orderId');
    await dynamo.createTable('invoices', 'invoiceId');
    await dynamo.createTable('returns', 'returnId');
    clients = { documents: dynamo.documents, sqs: sqs.client, now: () => at };
  });
  afterEach(async () => {
    await sqs.close();
    await dynamo.close();
  });

  const order = async (id = ORDER.orderId) =>
    (await dynamo.documents.send(new GetCommand({ TableName: 'orders', Key: { orderId: id } })))
      .Item;
  const invoices = async () =>
    (await dynamo.documents.send(new ScanCommand({ TableName: 'invoices' }))).Items ?? [];

  test('an order message goes from intake to the orders ledger to an invoice, without a person', async () => {
    const outcome = await runWorkflow(commandOf(message(ORDER)), bookToBill, clients);
    expect(outcome).toEqual({ result: 'done', id: ORDER.orderId, status: 'INVOICED' });

    const stored = await order();
    expect(stored).toMatchObject({
      orderId: ORDER.orderId,
      status: 'INVOICED',
      invoiceId: 'INV-ORD-0001-ABCD',
      totalMinorUnits: 1419, // 2 x 3.10 + 7.99, in pence
      clientId: 'client-web-shop',
      requestId: 'req-m-1',
      operation: 'orders.submit',
      receivedAt: 1764201600000,
    });
    // The status the broker serves for GET /orders/{orderId}.
    expect(JSON.parse(stored!.view)).toEqual({
      orderId: ORDER.orderId,
      status: 'INVOICED',
      customerId: 'C-42',
      currency: 'GBP',
      lines: ORDER.lines,
      totalMinorUnits: 1419,
      invoiceId: 'INV-ORD-0001-ABCD',
    });
    expect(await invoices()).toEqual([
      expect.objectContaining({
        invoiceId: 'INV-ORD-0001-ABCD',
        orderId: ORDER.orderId,
        amountMinorUnits: 1419,
        currency: 'GBP',
        status: 'ISSUED',
      }),
    ]);
    expect(sqs.messages).toEqual([]);
  });

  test('a repeated order id is not fulfilled or invoiced twice', async () => {
    await runWorkflow(commandOf(message(ORDER, 'm-1')), bookToBill, clients);
    const again = await runWorkflow(commandOf(message(ORDER, 'm-2')), bookToBill, clients);
    expect(again).toEqual({ result: 'duplicate', id: ORDER.orderId, status: 'INVOICED' });
    expect(await invoices()).toHaveLength(1);
    expect((await order())!.requestId).toBe('req-m-1'); // the first delivery stays the record
  });

  test('a redelivered message resumes an order that stopped half way', async () => {
    // An earlier attempt accepted the order and then failed before fulfilment.
    await dynamo.documents.send(
      new PutCommand({
        TableName: 'orders',
        Item: {
          orderId: ORDER.orderId,
          status: 'ACCEPTED',
          customerId: 'C-42',
          currency: 'GBP',
          totalMinorUnits: 1419,
        },
      }),
    );
    const outcome = await runWorkflow(commandOf(message(ORDER)), bookToBill, clients);
    expect(outcome).toEqual({ result: 'done', id: ORDER.orderId, status: 'INVOICED' });
    expect(await invoices()).toHaveLength(1);
  });

  test('an order id reused for a different order is refused into the dead-letter queue', async () => {
    await runWorkflow(commandOf(message(ORDER)), bookToBill, clients);
    const other = { ...ORDER, customerId: 'C-99' };
    const outcome = await runWorkflow(commandOf(message(other, 'm-3')), bookToBill, clients);
    expect(outcome).toEqual({
      result: 'refused',
      reasons: [`order id ${ORDER.orderId} is already used by a different order`],
    });
    expect((await order())!.customerId).toBe('C-42');
    expect(sqs.messages).toHaveLength(1);
  });

  test('a poison message lands in the dead-letter queue with the reasons, and nothing is written', async () => {
    const bad = {
      orderId: 'ORD-0002-ABCD',
      customerId: '',
      currency: 'XYZ',
      lines: [{ sku: 'TEA-001', quantity: 0, unitPrice: -1 }],
    };
    const outcome = await runWorkflow(commandOf(message(bad)), bookToBill, clients);
    expect(outcome.result).toBe('refused');
    expect(sqs.messages).toEqual([
      {
        QueueUrl: DLQ,
        MessageBody: JSON.stringify(bad),
        MessageAttributes: {
          refusedBecause: {
            DataType: 'String',
            StringValue:
              'customerId must be a non-empty string; currency must be one of GBP, EUR, USD; lines[0].quantity must be a whole number of at least 1; lines[0].unitPrice must be a number of at least 0',
          },
          clientId: { DataType: 'String', StringValue: 'client-web-shop' },
          requestId: { DataType: 'String', StringValue: 'req-m-1' },
        },
      } satisfies ReceivedMessage,
    ]);
    expect(await order('ORD-0002-ABCD')).toBeUndefined();
    expect(await invoices()).toEqual([]);
  });

  test('a body that is not JSON is refused', async () => {
    expect(await runWorkflow(commandOf(message('{not json')), bookToBill, clients)).toEqual({
      result: 'refused',
      reasons: ['the message body is not JSON'],
    });
  });

  test('the record workflow writes a command once, with its status and view', async () => {
    const body = { returnId: 'RET-1', reason: 'damaged' };
    expect(await runWorkflow(commandOf(message(body)), record, clients)).toEqual({
      result: 'done',
      id: 'RET-1',
      status: 'RECORDED',
    });
    expect(await runWorkflow(commandOf(message(body, 'm-2')), record, clients)).toEqual({
      result: 'duplicate',
      id: 'RET-1',
      status: 'RECORDED',
    });
    const item = (
      await dynamo.documents.send(
        new GetCommand({ TableName: 'returns', Key: { returnId: 'RET-1' } }),
      )
    ).Item;
    expect(JSON.parse(item!.view)).toEqual({
      returnId: 'RET-1',
      reason: 'damaged',
      status: 'RECORDED',
      recordedAt: at.toISOString(),
    });
  });

  test('a batch reports only the messages that failed for a transient reason, so SQS retries just those', async () => {
    const broken = { ...bookToBill, invoicesTable: 'no-such-table' };
    const event = {
      Records: [message(ORDER, 'good-but-table-missing'), message('{not json', 'poison')],
    } as SQSEvent;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await processBatch(event, broken, clients)).toEqual({
        batchItemFailures: [{ itemIdentifier: 'good-but-table-missing' }],
      });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(sqs.messages.map((m) => m.MessageBody)).toEqual(['{not json']);
  });
});

describe('configFromEnvironment', () => {
  test('reads the workflow settings the construct passes', () => {
    expect(
      configFromEnvironment({
        WORKFLOW: 'book-to-bill',
        LEDGER_TABLE: 'o',
        ID_FIELD: 'orderId',
        INVOICES_TABLE: 'i',
        DEAD_LETTER_QUEUE_URL: DLQ,
      }),
    ).toEqual({
      workflow: 'book-to-bill',
      ledgerTable: 'o',
      idField: 'orderId',
      invoicesTable: 'i',
      deadLetterQueueUrl: DLQ,
    });
  });

  test('fails when a setting is missing', () => {
    expect(() =>
      configFromEnvironment({
        WORKFLOW: 'book-to-bill',
        LEDGER_TABLE: 'o',
        ID_FIELD: 'orderId',
        DEAD_LETTER_QUEUE_URL: DLQ,
      }),
    ).toThrow('environment variable INVOICES_TABLE is not set');
  });
});
