import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Command, runWorkflow, WorkflowClients, WorkflowConfig } from './workflows';

/**
 * The Lambda function behind a capability's intake queue (in the back office's isolated subnets,
 * reaching DynamoDB and SQS through VPC endpoints). Messages that fail for a transient reason are
 * reported back, so SQS retries only them.
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv): WorkflowConfig {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const workflow = required('WORKFLOW');
  if (workflow !== 'record' && workflow !== 'book-to-bill')
    throw new Error(`unknown WORKFLOW ${workflow}`);
  return {
    workflow,
    ledgerTable: required('LEDGER_TABLE'),
    idField: required('ID_FIELD'),
    invoicesTable: workflow === 'book-to-bill' ? required('INVOICES_TABLE') : undefined,
    deadLetterQueueUrl: required('DEAD_LETTER_QUEUE_URL'),
  };
}

export function commandOf(record: SQSRecord): Command {
  const attribute = (name: string) => record.messageAttributes?.[name]?.stringValue;
  return {
    body: record.body,
    clientId: attribute('clientId'),
    requestId: attribute('requestId'),
    operation: attribute('operation'),
    receivedAt: attribute('receivedAt'),
  };
}

/** Processes a batch; returns the ids of the messages to retry. */
export async function processBatch(
  event: SQSEvent,
  config: WorkflowConfig,
  clients: WorkflowClients,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const outcome = await runWorkflow(commandOf(record), config, clients);
      console.log(JSON.stringify({ messageId: record.messageId, ...outcome }));
    } catch (e) {
      console.error(
        JSON.stringify({
          messageId: record.messageId,
          error: (e as Error).name,
          message: (e as Error).message,
        }),
      );
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

let clients: WorkflowClients | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  clients ??= {
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    sqs: new SQSClient({}),
  };
  return processBatch(event, configFromEnvironment(process.env), clients);
}
