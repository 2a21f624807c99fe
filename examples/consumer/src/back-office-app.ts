import { App, Stack } from 'aws-cdk-lib';
import { BackOfficeZone } from 'office-zones';

/** Only a back office: two systems of record in an isolated network, no broker, no products. */
export function buildBackOffice(app: App): Stack {
  const stack = new Stack(app, 'Ledgers');
  new BackOfficeZone(stack, 'BackOffice', {
    capabilities: [
      { name: 'orders', ledger: { partitionKey: 'orderId' }, workflow: 'book-to-bill' },
      { name: 'catalog', ledger: { partitionKey: 'itemId' } },
    ],
    operationsEmail: 'it-operations@example.com',
  });
  return stack;
}

if (require.main === module) buildBackOffice(new App());
