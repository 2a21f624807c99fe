import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ReceivedMessage } from './sqs-stand-in';

/**
 * A stand-in for Lambda's SQS event source mapping: it takes the messages the SQS stand-in
 * received for one queue, hands them to a handler in batches as Lambda does (an `SQSEvent`, with
 * `ReportBatchItemFailures`), delivers failed messages again and, after `maxReceiveCount`
 * receives, moves them to `deadLetters` as the queue's redrive policy would.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export interface EventSourceMapping {
  /** Messages that failed `maxReceiveCount` times. */
  readonly deadLetters: ReceivedMessage[];
  /** Stops taking messages (an event source mapping disabled, or a workflow not deployed). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface EventSourceMappingProps {
  /** The SQS stand-in's received messages; the mapping removes those it takes. */
  readonly messages: ReceivedMessage[];
  readonly queueUrl: string;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 3 */
  readonly maxReceiveCount?: number;
  /** Milliseconds between two polls. @default 10 */
  readonly pollIntervalMs?: number;
}

interface InFlight {
  readonly message: ReceivedMessage;
  readonly messageId: string;
  receiveCount: number;
}

export function startEventSourceMapping(props: EventSourceMappingProps): EventSourceMapping {
  const deadLetters: ReceivedMessage[] = [];
  const retries: InFlight[] = [];
  let paused = false;
  let running: Promise<void> = Promise.resolve();

  const take = (): InFlight[] => {
    const batch = retries.splice(0, props.batchSize ?? 10);
    for (let i = 0; i < props.messages.length && batch.length < (props.batchSize ?? 10);) {
      if (props.messages[i].QueueUrl === props.queueUrl) {
        const [message] = props.messages.splice(i, 1);
        batch.push({ message, messageId: randomUUID(), receiveCount: 0 });
      } else i++;
    }
    return batch;
  };

  const poll = async () => {
    if (paused) return;
    const batch = take();
    if (batch.length === 0) return;
    for (const m of batch) m.receiveCount++;
    const event: SQSEvent = { Records: batch.map(record) };
    let failed: Set<string>;
    try {
      const out = await props.handler(event);
      failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const m of batch.filter((b) => failed.has(b.messageId))) {
      if (m.receiveCount >= (props.maxReceiveCount ?? 3)) deadLetters.push(m.message);
      else retries.push(m);
    }
  };

  const timer = setInterval(() => {
    running = running.then(poll);
  }, props.pollIntervalMs ?? 10);

  return {
    deadLetters,
    pause: () => (paused = true),
    resume: () => (paused = false),
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** A message as Lambda delivers it: attributes with `stringValue` and `dataType`. */
function record(m: InFlight): SQSRecord {
  const attributes = Object.fromEntries(
    Object.entries(m.message.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      {
        stringValue: a.StringValue,
        dataType: a.DataType,
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  );
  return {
    messageId: m.messageId,
    receiptHandle: `${m.messageId}-${m.receiveCount}`,
    body: m.message.MessageBody,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'AROASTANDIN',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: attributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-1:000000000000:${m.message.QueueUrl.split('/').pop()}`,
    awsRegion: 'eu-west-1',
  };
}
