import * as path from 'node:path';
import { ENGINE_PACKAGE } from '../../../policies/access-paths/engine';
import { allowAll, queueRequest } from './support';

const runner = require(path.join(__dirname, '../../../policies/access-paths/engine-runner.js'));
const entry = require.resolve(ENGINE_PACKAGE);

const admin = allowAll('*');
const readOnly = allowAll('sqs:ReceiveMessage');
const request = queueRequest;

const REQUESTS = [
  request('a', 'sqs:SendMessage', admin),
  request('b', 'sqs:SendMessage', readOnly),
  request('a', 'sqs:SendMessage', admin),
  request('b', 'sqs:ReceiveMessage', readOnly),
  request('c', 'sqs:DeleteMessage', readOnly),
];

describe('engine-runner', () => {
  it('packs each policy document and each distinct request once', () => {
    const packed = runner.pack(REQUESTS);
    expect(packed.policies).toHaveLength(2);
    expect(packed.simulations).toHaveLength(4);
    expect(packed.index).toEqual([0, 1, 0, 2, 3]);
  });

  it('answers the same in worker threads as in one thread, one answer per request', async () => {
    const { index, ...packed } = runner.pack(REQUESTS);
    const threads = await runner.runPacked(entry, packed, { workers: 2, parallelFrom: 0 });
    const one = await runner.runRequests(require(entry), REQUESTS);
    expect(index.map((i: number) => threads[i])).toEqual(one);
    expect(one.map((r: { decision?: string }) => r.decision)).toEqual([
      'Allowed',
      'ImplicitlyDenied',
      'Allowed',
      'Allowed',
      'ImplicitlyDenied',
    ]);
  });
});
