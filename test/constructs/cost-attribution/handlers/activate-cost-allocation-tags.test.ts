import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type {
  CustomResourceEvent,
  ScheduledActivation,
} from '../../../../constructs/cost-attribution/handlers/activate-cost-allocation-tags';
import { freshModule } from '../../../helpers';

/**
 * Runs the provider against local HTTP stand-ins: Cost Explorer (JSON 1.1, reached through the
 * SDK's endpoint override) and CloudFormation's pre-signed response URL.
 */
interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

async function serve(answer: (seen: Seen) => { status: number; body: unknown; type?: string }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(a.type ? { 'x-amzn-errortype': a.type } : {}),
      });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const saved = { ...process.env };
let ce: Awaited<ReturnType<typeof serve>>;
let cfn: Awaited<ReturnType<typeof serve>>;
let refused: Record<string, string> = {};
let ceFails: string | undefined;
let handler: (e: CustomResourceEvent | ScheduledActivation) => Promise<void>;

beforeEach(async () => {
  refused = {};
  ceFails = undefined;
  ce = await serve(({ headers, body }) => {
    if (headers['x-amz-target'] !== 'AWSInsightsIndexService.UpdateCostAllocationTagsStatus')
      return { status: 400, body: { __type: 'UnknownOperationException' } };
    if (ceFails) return { status: 400, body: { __type: ceFails, message: 'no' }, type: ceFails };
    const errors = body.CostAllocationTagsStatus.filter((t: any) => refused[t.TagKey]).map(
      (t: any) => ({
        TagKey: t.TagKey,
        Code: refused[t.TagKey],
        Message: 'not found',
      }),
    );
    return { status: 200, body: { Errors: errors } };
  });
  cfn = await serve(() => ({ status: 200, body: {} }));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_COST_EXPLORER: ce.url,
  });
  // A fresh module is a fresh Lambda execution environment: its client reads the endpoint above.
  handler = freshModule(
    path.join(
      __dirname,
      '../../../../constructs/cost-attribution/handlers/activate-cost-allocation-tags',
    ),
  ).handler;
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(async () => {
  process.env = { ...saved };
  jest.restoreAllMocks();
  await Promise.all([ce.stop(), cfn.stop()]);
});

const event = (over: Partial<CustomResourceEvent> = {}): CustomResourceEvent => ({
  RequestType: 'Create',
  ResponseURL: `${cfn.url}/response?X-Amz-Signature=abc`,
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/CostManagement/guid',
  RequestId: 'req-1',
  LogicalResourceId: 'CostAllocationTags',
  ResourceProperties: { TagKeys: ['Zone', 'CostCentre', 'Owner', 'Product', 'Environment'] },
  ...over,
});

describe('the cost-allocation tag provider', () => {
  test('activates every key, 20 a call, and answers CloudFormation with SUCCESS', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `Key${i}`);
    await handler(event({ ResourceProperties: { TagKeys: keys } }));
    expect(ce.seen.map((s) => s.body.CostAllocationTagsStatus.length)).toEqual([20, 5]);
    expect(ce.seen[0].body.CostAllocationTagsStatus[0]).toEqual({
      TagKey: 'Key0',
      Status: 'Active',
    });
    const [response] = cfn.seen;
    expect(response.method).toBe('PUT');
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      RequestId: 'req-1',
      LogicalResourceId: 'CostAllocationTags',
      PhysicalResourceId: 'cost-allocation-tags-req-1',
      Data: { Activated: keys.join(','), Pending: '' },
    });
  });

  test('reports keys AWS has not seen on a resource yet as pending instead of failing the deployment', async () => {
    refused = { Owner: 'TagKeysNotFoundException' };
    await handler(event());
    expect(cfn.seen[0].body).toMatchObject({
      Status: 'SUCCESS',
      Data: {
        Activated: 'Zone,CostCentre,Product,Environment',
        Pending: 'Owner (TagKeysNotFoundException)',
      },
    });
    expect(cfn.seen[0].body.Reason).toContain(
      'pending (not yet seen on a resource or refused): Owner',
    );
  });

  test('answers FAILED with the reason when Cost Explorer refuses the call', async () => {
    ceFails = 'AccessDeniedException';
    await handler(event());
    expect(cfn.seen[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^AccessDeniedException/),
    });
  });

  test('answers FAILED when the resource has no tag keys', async () => {
    await handler(event({ ResourceProperties: { TagKeys: [] } }));
    expect(cfn.seen[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'Error: TagKeys must be a non-empty list of tag keys',
    });
    expect(ce.seen).toHaveLength(0);
  });

  test('leaves the keys active on delete and keeps the physical id', async () => {
    await handler(event({ RequestType: 'Delete', PhysicalResourceId: 'cost-allocation-tags-old' }));
    expect(ce.seen).toHaveLength(0);
    expect(cfn.seen[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'cost-allocation-tags-old',
    });
  });

  test('activates again on the daily schedule, without answering CloudFormation', async () => {
    refused = { Owner: 'TagKeysNotFoundException' };
    const logged: string[] = [];
    (console.log as jest.Mock).mockImplementation((line: string) => void logged.push(line));
    await handler({ TagKeys: ['Zone', 'Owner'] });
    expect(ce.seen.map((s) => s.body.CostAllocationTagsStatus.map((t: any) => t.TagKey))).toEqual([
      ['Zone', 'Owner'],
    ]);
    expect(cfn.seen).toHaveLength(0);
    expect(JSON.parse(logged[0])).toEqual({
      request: 'Scheduled',
      Activated: 'Zone',
      Pending: 'Owner (TagKeysNotFoundException)',
    });
  });

  test("calls Cost Explorer's one endpoint region: us-east-1, or cn-northwest-1 in China", async () => {
    await handler(event());
    expect(ce.seen[0].headers.authorization).toContain('/us-east-1/ce/aws4_request');
    process.env.AWS_REGION = 'cn-north-1';
    await handler(event());
    expect(ce.seen[1].headers.authorization).toContain('/cn-northwest-1/ce/aws4_request');
  });
});
