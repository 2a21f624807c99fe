import { Template } from 'aws-cdk-lib/assertions';
import Ajv from 'ajv-draft-04';
import { buildReference } from '../../helpers';
import {
  DEPLOY_TIME,
  gatewayResponses,
  SynthesizedMethod,
  synthesizedMethods,
} from '../../support/api-gateway-methods';
import {
  GatewayContext,
  MethodRequest,
  renderTemplate,
  selectIntegrationResponse,
} from '../../support/api-gateway-vtl';

/**
 * Every mapping template of the reference broker, executed by a simulation of API Gateway's
 * template engine (test/support/api-gateway-vtl.ts) against real requests and against SQS's and
 * DynamoDB's answers as their API references document them. Nothing here reaches AWS.
 */

const template = Template.fromStack(buildReference().stacks.broker).toJSON();
const methods = synthesizedMethods(template);
const rendered = new Set<string>();

const CONTEXT: GatewayContext = {
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  requestTimeEpoch: 1764500000000,
  authorizer: { claims: { client_id: '4l5mn6op7qr8st9uv0wx1yz2ab', scope: 'orders/write' } },
};

function method(httpMethod: string, path: string): SynthesizedMethod {
  const found = methods.find((m) => m.httpMethod === httpMethod && m.path === path);
  if (!found) throw new Error(`no method ${httpMethod} ${path}`);
  return found;
}

/** Renders a method's request template for a request; marks the template as executed. */
function request(m: SynthesizedMethod, req: MethodRequest): string {
  const body = m.requestTemplates['application/json'];
  rendered.add(`${m.logicalId} request`);
  return renderTemplate(body, req.body ?? '', CONTEXT, req).body;
}

/**
 * What the caller gets when the integration answers `status` with `payload`: the integration
 * response API Gateway selects, rendered, and the status it ends with.
 */
function answer(m: SynthesizedMethod, status: number, payload: unknown) {
  const response = selectIntegrationResponse(m.integrationResponses, status);
  rendered.add(`${m.logicalId} ${response.StatusCode}`);
  const out = renderTemplate(
    response.ResponseTemplates!['application/json'],
    typeof payload === 'string' ? payload : JSON.stringify(payload),
    CONTEXT,
  );
  const finalStatus = out.statusOverride ?? Number(response.StatusCode);
  expect(m.methodResponses).toContain(String(finalStatus));
  let json: any;
  expect(() => (json = JSON.parse(out.body))).not.toThrow();
  return { status: finalStatus, json };
}

/** Strings a caller may send, each a way templates break. */
const AWKWARD = [
  `it's "quoted"`,
  'back\\slash and \\" and \\u0041',
  'slash / </script> & <b>',
  'café, naïve, 東京, emoji 😀',
  'tab\tnew\nline\rform\fbell\u0007nul\u0000',
  '$context.requestId #set($x = 1) ${x}',
  'percent %41 plus + ampersand & equals =',
];

// The reference's order contract (blueprint): every line at its longest.
function largestOrder() {
  return {
    orderId: `ORD-${'9'.repeat(60)}`,
    customerId: `"C'\\${'é'.repeat(60)}`.slice(0, 64),
    currency: 'GBP',
    lines: Array.from({ length: 100 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(28, '0')}`,
      quantity: 1000,
      unitPrice: 1234567.891,
    })),
  };
}

describe('POST /orders (orders.submit): SendMessageBatch in SQS JSON protocol', () => {
  const submit = () => method('POST', '/orders');
  const validate = () =>
    new Ajv({ allErrors: true }).compile(submit().requestModels['application/json']);

  test('calls SendMessageBatch in the AWS JSON protocol, which AWS documents', () => {
    const m = submit();
    expect(m.uri).toBe(`arn:aws:apigateway:${DEPLOY_TIME.region}:sqs:path//`);
    expect(m.requestParameters).toEqual({
      'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
      'integration.request.header.X-Amz-Target': "'AmazonSQS.SendMessageBatch'",
    });
  });

  const orders = [
    ...AWKWARD.map((customerId, i) => ({
      name: `customerId ${JSON.stringify(customerId)}`,
      order: {
        orderId: `ORD-0000000${i}`,
        customerId,
        currency: 'EUR',
        lines: [{ sku: 'ABC-1', quantity: 1, unitPrice: 0 }],
      },
    })),
    { name: 'the largest valid order', order: largestOrder() },
  ];

  test.each(orders)('renders valid SQS JSON for $name, the body intact', ({ order }) => {
    const body = JSON.stringify(order);
    expect(validate()(order)).toBe(true);
    const out = JSON.parse(request(submit(), { body }));
    expect(out).toEqual({
      QueueUrl: DEPLOY_TIME.queueUrl,
      Entries: [
        {
          Id: order.orderId,
          MessageBody: expect.any(String),
          MessageAttributes: {
            clientId: { DataType: 'String', StringValue: CONTEXT.authorizer!.claims!.client_id },
            requestId: { DataType: 'String', StringValue: CONTEXT.requestId },
            operation: { DataType: 'String', StringValue: 'orders.submit' },
            receivedAt: { DataType: 'Number', StringValue: String(CONTEXT.requestTimeEpoch) },
          },
        },
      ],
    });
    expect(JSON.parse(out.Entries[0].MessageBody)).toEqual(order);
  });

  test('the largest valid order stays within what SQS takes in one message (256 KiB)', () => {
    const out = JSON.parse(request(submit(), { body: JSON.stringify(largestOrder()) }));
    expect(Buffer.byteLength(out.Entries[0].MessageBody)).toBeLessThan(256 * 1024);
  });

  test('the model refuses an id SQS cannot take as a batch entry id, at the door (400)', () => {
    const order = { ...largestOrder(), orderId: 'ORD 0000 0001' };
    expect(validate()(order)).toBe(false);
  });

  // SendMessageBatch answers, as the SQS API reference documents them.
  test('accepted: 202 with the order id the caller chose', () => {
    const { status, json } = answer(submit(), 200, {
      Successful: [
        {
          Id: 'ORD-00000001',
          MessageId: '5fea7756-0ea4-451a-a703-a558b933e274',
          MD5OfMessageBody: 'fafb00f5732ab283681e124bf8747ed1',
          MD5OfMessageAttributes: '3ae8f24a165a8cedc005670c81a27295',
        },
      ],
      Failed: [],
    });
    expect(status).toBe(202);
    expect(json).toEqual({
      orderId: 'ORD-00000001',
      status: 'accepted',
      requestId: CONTEXT.requestId,
    });
  });

  test('fails when SQS refuses the entry through the broker fault (SenderFault true): 500, not 400', () => {
    const { status, json } = answer(submit(), 200, {
      Successful: [],
      Failed: [
        {
          Id: 'ORD-00000001',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: "Value 'x' is invalid",
        },
      ],
    });
    expect(status).toBe(500);
    expect(json.message).toMatch(/broker/);
  });

  test('fails when SQS fails the entry itself (SenderFault false): 502', () => {
    const { status } = answer(submit(), 200, {
      Successful: [],
      Failed: [{ Id: 'ORD-00000001', SenderFault: false, Code: 'InternalError', Message: 'x' }],
    });
    expect(status).toBe(502);
  });

  test.each([
    [
      400,
      {
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      },
    ],
    [
      400,
      {
        __type: 'com.amazonaws.sqs#KmsAccessDenied',
        message: "The caller doesn't have access to the KMS key.",
      },
    ],
    [
      400,
      {
        __type: 'com.amazonaws.sqs#InvalidParameterValue',
        message: 'Value "x" for parameter Id is invalid.',
      },
    ],
    [
      403,
      {
        __type: 'com.amazon.coral.service#AccessDeniedException',
        Message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized',
      },
    ],
  ])(
    "fails when SQS answers %i: a 500, the broker's fault, never a 400 about the order",
    (code, error) => {
      const { status, json } = answer(submit(), code, error);
      expect(status).toBe(500);
      expect(json).toEqual({
        message: expect.stringMatching(/broker/),
        requestId: CONTEXT.requestId,
      });
    },
  );

  test.each([500, 503])(
    'fails when SQS answers %i: 502, the back office is unavailable',
    (code) => {
      const { status } = answer(submit(), code, {
        __type: 'com.amazonaws.sqs#InternalError',
        message: 'x',
      });
      expect(status).toBe(502);
    },
  );
});

describe('GET /orders/{orderId} (orders.get): GetItem', () => {
  const get = () => method('GET', '/orders/{orderId}');

  test.each(AWKWARD.map((v) => [v]))(
    'renders valid DynamoDB JSON for orderId %j, the key intact',
    (orderId) => {
      const out = JSON.parse(request(get(), { path: { orderId } }));
      expect(out).toEqual({
        TableName: DEPLOY_TIME.tableName,
        Key: { orderId: { S: orderId } },
        ConsistentRead: true,
        ProjectionExpression: '#v',
        ExpressionAttributeNames: { '#v': 'view' },
      });
    },
  );

  // The view as the book-to-bill workflow writes it: JSON.stringify of the record.
  const view = {
    orderId: 'ORD-00000001',
    customerId: `O'Brien "Ltd" \\ 東京 😀`,
    currency: 'GBP',
    lines: [{ sku: 'ABC-1', quantity: 2, unitPrice: 9.99 }],
    status: 'INVOICED',
    invoiceId: 'INV-ORD-00000001',
  };

  test('an item with its view: 200 and the view', () => {
    const { status, json } = answer(get(), 200, { Item: { view: { S: JSON.stringify(view) } } });
    expect(status).toBe(200);
    expect(json).toEqual(view);
  });

  test.each([
    ['no item', {}],
    ['an item without its view', { Item: {} }],
    ['a view of another type', { Item: { view: { M: {} } } }],
  ])('fails with 404 on %s', (_, payload) => {
    const { status, json } = answer(get(), 200, payload);
    expect(status).toBe(404);
    expect(json).toEqual({ message: 'no such record', requestId: CONTEXT.requestId });
  });

  test.each([
    [
      400,
      {
        __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
        message: 'Requested resource not found',
      },
    ],
    [
      400,
      {
        __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
        message: 'One or more parameter values were invalid',
      },
    ],
    [400, { __type: 'com.amazon.coral.service#AccessDeniedException', Message: 'not authorized' }],
    [
      400,
      { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' },
    ],
  ])("fails when DynamoDB answers %i: 500, the broker's fault", (code, error) => {
    expect(answer(get(), code, error).status).toBe(500);
  });

  test('fails when DynamoDB answers 500: 502', () => {
    const error = { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' };
    expect(answer(get(), 500, error).status).toBe(502);
  });
});

describe('GET /catalog/items (catalog.listItems): Query', () => {
  const list = () => method('GET', '/catalog/items');
  const item = (name: string) => ({
    view: { S: JSON.stringify({ category: 'coffee', sku: name, name: `Café "${name}" ½ kg` }) },
  });

  test.each(AWKWARD.map((v) => [v]))('renders valid DynamoDB JSON for category %j', (category) => {
    const out = JSON.parse(request(list(), { querystring: { category } }));
    expect(out.ExpressionAttributeValues).toEqual({ ':pk': { S: category } });
    expect(out.ExpressionAttributeNames).toEqual({ '#pk': 'category', '#v': 'view' });
  });

  test.each([
    ['no items', [], []],
    ['items with views', [item('A'), item('B')], ['A', 'B']],
    ['an item without a view first', [{}, item('A'), item('B')], ['A', 'B']],
    ['an item without a view in the middle', [item('A'), {}, item('B')], ['A', 'B']],
    ['an item without a view last', [item('A'), item('B'), {}], ['A', 'B']],
    ['only items without views', [{}, {}], []],
  ])('renders valid JSON with %s', (_, items, skus) => {
    const { status, json } = answer(list(), 200, {
      Count: items.length,
      ScannedCount: items.length,
      Items: items,
    });
    expect(status).toBe(200);
    expect(json).toEqual({
      items: skus.map((sku) => expect.objectContaining({ sku })),
      more: false,
      requestId: CONTEXT.requestId,
    });
  });

  test('more is true when DynamoDB has more to give (LastEvaluatedKey)', () => {
    const { json } = answer(list(), 200, {
      Count: 1,
      ScannedCount: 1,
      Items: [item('A')],
      LastEvaluatedKey: { category: { S: 'coffee' }, sku: { S: 'A' } },
    });
    expect(json.more).toBe(true);
  });

  test('fails when DynamoDB answers 400: 500; 500: 502', () => {
    const error = {
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'x',
    };
    expect(answer(list(), 400, error).status).toBe(500);
    expect(answer(list(), 500, error).status).toBe(502);
  });
});

describe('gateway responses', () => {
  const responses = gatewayResponses(template);

  test.each([
    [
      'BAD_REQUEST_BODY',
      {
        message: 'Invalid request body',
        validationErrorString: `[object has missing required properties (["lines"]), instance value ("XYZ") not found in enum (possible values: ["GBP","EUR","USD"]), it's \\ 😀]`,
      },
    ],
    [
      'BAD_REQUEST_PARAMETERS',
      {
        message: 'Missing required request parameters: [category]',
        validationErrorString: 'Missing required request parameters: [category]',
      },
    ],
    ['DEFAULT_4XX', { message: 'Unauthorized' }],
    ['DEFAULT_5XX', { message: 'Internal server error' }],
  ] as [string, { message: string; validationErrorString?: string }][])(
    '%s renders valid JSON with the reason',
    (type, error) => {
      const body = responses[type]?.['application/json'];
      expect(body).toBeDefined();
      const out = renderTemplate(body, '', { ...CONTEXT, error });
      const json = JSON.parse(out.body);
      expect(json.requestId).toBe(CONTEXT.requestId);
      // Validation answers carry the validator's reasons; the others API Gateway's message.
      expect(json.details ?? json.message).toBe(error.validationErrorString ?? error.message);
    },
  );
});

test('every template of every method was executed above', () => {
  const all = methods.flatMap((m) => [
    `${m.logicalId} request`,
    ...m.integrationResponses.map((r) => `${m.logicalId} ${r.StatusCode}`),
  ]);
  expect(methods).toHaveLength(3);
  expect(all.filter((t) => !rendered.has(t))).toEqual([]);
});
