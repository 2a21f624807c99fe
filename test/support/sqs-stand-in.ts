import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TEST_CREDENTIALS } from './dynalite';

/** A message the stand-in received through SendMessage. */
export interface ReceivedMessage {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/**
 * A loopback HTTP server that answers SQS SendMessage in the AWS JSON protocol the SDK speaks and
 * keeps what it was sent. No SQS implementation runs on this machine; this is the narrowest real
 * HTTP peer the SDK can talk to.
 */
export async function startSqsStandIn(): Promise<{
  client: SQSClient;
  messages: ReceivedMessage[];
  close(): Promise<void>;
}> {
  const messages: ReceivedMessage[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (target !== 'AmazonSQS.SendMessage') {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target }),
        );
        return;
      }
      const input = JSON.parse(body) as ReceivedMessage;
      messages.push(input);
      res.end(
        JSON.stringify({
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new SQSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: TEST_CREDENTIALS,
    md5: false,
  });
  return {
    client,
    messages,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
