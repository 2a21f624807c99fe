import * as path from 'node:path';
import { ENGINE_PACKAGE, type EngineRequest } from '../../../policies/access-paths/engine';

const runner = require(path.join(__dirname, '../../../policies/access-paths/engine-runner.js'));
const entry = require.resolve(ENGINE_PACKAGE);

const admin = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const readOnly = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }],
};

function request(role: string, action: string, policy: object): EngineRequest {
  return {
    simulation: {
      request: {
        principal: `arn:aws:iam::111111111111:role/${role}`,
        action,
        resource: {
          resource: 'arn:aws:sqs:eu-west-1:111111111111:queue',
          accountId: '111111111111',
        },
        contextVariables: { 'aws:SecureTransport': 'true' },
      },
      // Copies, as the evaluation builds them: packing finds equal documents by their text.
      identityPolicies: [{ name: 'inline', policy: JSON.parse(JSON.stringify(policy)) }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-root', policies: [{ name: 'full', policy: admin }] },
      ],
      resourceControlPolicies: [],
    },
  };
}

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
