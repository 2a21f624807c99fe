import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import {
  fromPattern,
  minimalOrder,
  OrderSchemaError,
  schemaProblems,
} from '../../../lib/cli/smoke-order';

const ORDER_SCHEMA = parseBlueprint(REFERENCE_BLUEPRINT).backOffice.capabilities[0].operations[0]
  .body as Record<string, unknown>;

function problemsOf(schema: Record<string, unknown>, idField = 'id'): readonly string[] {
  try {
    minimalOrder(schema, idField);
  } catch (e) {
    if (e instanceof OrderSchemaError) return e.problems;
    throw e;
  }
  return [];
}

describe('minimalOrder', () => {
  test('fills only what the reference order schema requires, with a fresh id each time', () => {
    const first = minimalOrder(ORDER_SCHEMA, 'orderId');
    const second = minimalOrder(ORDER_SCHEMA, 'orderId');
    expect(first.body).toEqual({
      orderId: first.id,
      customerId: 'smoke',
      currency: 'GBP',
      lines: [{ sku: 'SMOKE', quantity: 1, unitPrice: 1 }],
    });
    expect(first.id).toMatch(/^smoke-[a-z0-9]+-[0-9a-f]{6}$/);
    expect(second.id).not.toBe(first.id);
    expect(schemaProblems(ORDER_SCHEMA, first.body)).toEqual([]);
  });

  test('builds values from patterns, $ref, allOf and draft-4 number bounds', () => {
    const schema = {
      type: 'object',
      required: ['id', 'code', 'amount', 'count', 'part'],
      definitions: { code: { type: 'string', pattern: '^(?:EU|UK)-\\d{3}[A-F]?$' } },
      properties: {
        id: { type: 'string', pattern: '^ORD-[0-9]{8}$' },
        code: { $ref: '#/definitions/code' },
        amount: { type: 'number', minimum: 0, exclusiveMinimum: true, multipleOf: 0.5 },
        count: { type: 'integer', minimum: 5, maximum: 9 },
        part: {
          allOf: [{ type: 'object', required: ['a'] }, { properties: { a: { enum: ['x'] } } }],
        },
      },
    };
    const { body, id } = minimalOrder(schema, 'id');
    expect(id).toMatch(/^ORD-[0-9]{8}$/);
    expect(body).toEqual({ id, code: 'EU-000', amount: 1, count: 5, part: { a: 'x' } });
  });

  test('fails when no order can satisfy the schema, naming each path', () => {
    expect(
      problemsOf({
        type: 'object',
        additionalProperties: false,
        required: ['id', 'undeclared', 'n', 'tags'],
        properties: {
          id: { type: 'string', pattern: '^(?=x)' },
          n: { type: 'integer', minimum: 3, maximum: 2 },
          tags: { type: 'array', minItems: 2, uniqueItems: true, items: { enum: ['a'] } },
        },
      }),
    ).toEqual([
      'id: cannot make a fresh id that fits pattern "^(?=x)": pass --order <file>',
      'n: no integer fits minimum 3, maximum 2',
    ]);
    // What the generator cannot see, the draft-4 validator does.
    expect(
      problemsOf({
        type: 'object',
        additionalProperties: false,
        required: ['id', 'undeclared', 'tags'],
        properties: {
          id: { type: 'string' },
          tags: { type: 'array', minItems: 2, uniqueItems: true, items: { enum: ['a'] } },
        },
      }),
    ).toEqual([
      '(body): must NOT have additional properties (undeclared)',
      'tags: must NOT have duplicate items (items ## 0 and 1 are identical)',
    ]);
  });
});

describe('fromPattern', () => {
  test.each([
    ['^[A-Za-z0-9-]{8,64}$', 'AAAAAAAA'],
    ['^[A-Z0-9-]{3,32}$', 'AAA'],
    ['^\\d+(\\.\\d{2})?$', '0'],
    ['^(GB|IE)[0-9]{2}$', 'GB00'],
    ['a\\.b*c', 'a.c'],
  ])('%s gives %s', (pattern, expected) => {
    const out = fromPattern({ pattern }, false);
    expect(out).toBe(expected);
    expect(new RegExp(pattern).test(out!)).toBe(true);
  });

  test('gives nothing for what it does not read: lookarounds, negated classes, back-references', () => {
    for (const pattern of ['^(?=a)a$', '^[^a]$', '^(a)\\1$']) {
      expect(fromPattern({ pattern }, false)).toBeUndefined();
    }
  });
});
