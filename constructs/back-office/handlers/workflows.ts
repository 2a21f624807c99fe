import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { invoiceIdOf, Order, orderProblems, totalMinorUnits } from './order';

/** A command as the broker delivers it: the validated body and who sent it. */
export interface Command {
  readonly body: string;
  readonly clientId?: string;
  readonly requestId?: string;
  readonly operation?: string;
  readonly receivedAt?: string;
}

export interface WorkflowConfig {
  /** `record` or `book-to-bill`. */
  readonly workflow: 'record' | 'book-to-bill';
  /** The ledger table (orders, for book to bill). */
  readonly ledgerTable: string;
  /** The ledger's partition key, which is also the command's id field. */
  readonly idField: string;
  /** Book to bill: the invoices table (partition key `invoiceId`). */
  readonly invoicesTable?: string;
  /** Where refused commands go, with the reason. */
  readonly deadLetterQueueUrl: string;
}

export interface WorkflowClients {
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What became of one command. */
export type Outcome =
  | { readonly result: 'done'; readonly id: string; readonly status: string }
  | { readonly result: 'duplicate'; readonly id: string; readonly status: string }
  | { readonly result: 'refused'; readonly reasons: readonly string[] };

/**
 * Runs a command through its capability's workflow. Every step is idempotent and keyed on the
 * command's id, so a redelivered message resumes where the last attempt stopped and a repeated
 * command never creates a second record or a second invoice. A command the back office refuses
 * (not valid, or an id reused for a different order) goes to the dead-letter queue with the reason;
 * anything else that fails is thrown, so the message is retried and, after the queue's
 * maxReceiveCount, lands in the dead-letter queue too.
 */
export async function runWorkflow(
  command: Command,
  config: WorkflowConfig,
  clients: WorkflowClients,
): Promise<Outcome> {
  let body: unknown;
  try {
    body = JSON.parse(command.body);
  } catch {
    return refuse(command, ['the message body is not JSON'], config, clients);
  }
  return config.workflow === 'book-to-bill'
    ? bookToBill(body, command, config, clients)
    : record(body, command, config, clients);
}

async function record(
  body: unknown,
  command: Command,
  config: WorkflowConfig,
  clients: WorkflowClients,
): Promise<Outcome> {
  const id =
    body && typeof body === 'object'
      ? (body as Record<string, unknown>)[config.idField]
      : undefined;
  if (typeof id !== 'string' || id.length === 0)
    return refuse(command, [`${config.idField} is missing`], config, clients);
  const now = (clients.now ?? (() => new Date()))().toISOString();
  const view = { ...(body as object), [config.idField]: id, status: 'RECORDED', recordedAt: now };
  try {
    await clients.documents.send(
      new PutCommand({
        TableName: config.ledgerTable,
        Item: {
          [config.idField]: id,
          status: 'RECORDED',
          ...audit(command),
          recordedAt: now,
          view: JSON.stringify(view),
        },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': config.idField },
      }),
    );
    return { result: 'done', id, status: 'RECORDED' };
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException)
      return { result: 'duplicate', id, status: 'RECORDED' };
    throw e;
  }
}

/** Order statuses, in the order the workflow moves through them. */
export const ORDER_STATUSES = ['ACCEPTED', 'FULFILLED', 'INVOICED'] as const;
type OrderStatus = (typeof ORDER_STATUSES)[number];

async function bookToBill(
  body: unknown,
  command: Command,
  config: WorkflowConfig,
  clients: WorkflowClients,
): Promise<Outcome> {
  const problems = orderProblems(body, config.idField);
  if (problems.length > 0) return refuse(command, problems, config, clients);
  const input = body as Record<string, unknown>;
  const order: Order = {
    orderId: input[config.idField] as string,
    customerId: input.customerId as string,
    currency: input.currency as string,
    lines: input.lines as Order['lines'],
  };
  const now = () => (clients.now ?? (() => new Date()))().toISOString();
  const key = { [config.idField]: order.orderId };
  const total = totalMinorUnits(order);
  const view = (status: OrderStatus, invoiceId?: string) =>
    JSON.stringify({
      [config.idField]: order.orderId,
      status,
      customerId: order.customerId,
      currency: order.currency,
      lines: order.lines,
      totalMinorUnits: total,
      ...(invoiceId ? { invoiceId } : {}),
    });

  // 1. Accept: the order enters the ledger once.
  let status: OrderStatus = 'ACCEPTED';
  try {
    await clients.documents.send(
      new PutCommand({
        TableName: config.ledgerTable,
        Item: {
          ...key,
          status,
          customerId: order.customerId,
          currency: order.currency,
          lines: order.lines,
          totalMinorUnits: total,
          ...audit(command),
          acceptedAt: now(),
          view: view(status),
        },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': config.idField },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    const existing = (
      await clients.documents.send(
        new GetCommand({ TableName: config.ledgerTable, Key: key, ConsistentRead: true }),
      )
    ).Item;
    if (!existing) throw e;
    if (
      existing.customerId !== order.customerId ||
      existing.totalMinorUnits !== total ||
      existing.currency !== order.currency
    ) {
      return refuse(
        command,
        [`order id ${order.orderId} is already used by a different order`],
        config,
        clients,
      );
    }
    status = existing.status as OrderStatus;
    if (status === 'INVOICED') return { result: 'duplicate', id: order.orderId, status };
  }

  // 2. Fulfil.
  if (status === 'ACCEPTED') {
    await advance(config, clients, key, 'ACCEPTED', 'FULFILLED', {
      fulfilledAt: now(),
      view: view('FULFILLED'),
    });
    status = 'FULFILLED';
  }

  // 3. Bill: one invoice per order.
  const invoiceId = invoiceIdOf(order.orderId);
  try {
    await clients.documents.send(
      new PutCommand({
        TableName: config.invoicesTable!,
        Item: {
          invoiceId,
          orderId: order.orderId,
          customerId: order.customerId,
          currency: order.currency,
          amountMinorUnits: total,
          status: 'ISSUED',
          issuedAt: now(),
          view: JSON.stringify({
            invoiceId,
            orderId: order.orderId,
            currency: order.currency,
            amountMinorUnits: total,
            status: 'ISSUED',
          }),
        },
        ConditionExpression: 'attribute_not_exists(invoiceId)',
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e; // issued by an earlier attempt
  }
  await advance(config, clients, key, 'FULFILLED', 'INVOICED', {
    invoiceId,
    invoicedAt: now(),
    view: view('INVOICED', invoiceId),
  });
  return { result: 'done', id: order.orderId, status: 'INVOICED' };
}

/** Moves an order from one status to the next, only if it is still in the first. */
async function advance(
  config: WorkflowConfig,
  clients: WorkflowClients,
  key: Record<string, string>,
  from: OrderStatus,
  to: OrderStatus,
  fields: Record<string, unknown>,
) {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': from, ':to': to };
  const sets = ['#status = :to'];
  Object.entries(fields).forEach(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  try {
    await clients.documents.send(
      new UpdateCommand({
        TableName: config.ledgerTable,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (e) {
    // Another attempt moved it on already; the workflow carries on from there.
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}

function audit(command: Command) {
  return {
    clientId: command.clientId ?? 'unknown',
    requestId: command.requestId ?? 'unknown',
    operation: command.operation ?? 'unknown',
    ...(command.receivedAt ? { receivedAt: Number(command.receivedAt) } : {}),
  };
}

async function refuse(
  command: Command,
  reasons: string[],
  config: WorkflowConfig,
  clients: WorkflowClients,
): Promise<Outcome> {
  await clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: config.deadLetterQueueUrl,
      MessageBody: command.body,
      MessageAttributes: {
        refusedBecause: { DataType: 'String', StringValue: reasons.join('; ').slice(0, 1000) },
        clientId: { DataType: 'String', StringValue: command.clientId ?? 'unknown' },
        requestId: { DataType: 'String', StringValue: command.requestId ?? 'unknown' },
      },
    }),
  );
  return { result: 'refused', reasons };
}
