import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import {
  blueprintJsonSchema,
  loadBlueprintFile,
  parseBlueprint,
  REFERENCE_BLUEPRINT,
} from '../../../lib/blueprint';
import { errorOf, problemsOf, referenceInput } from '../../helpers';

describe('parseBlueprint', () => {
  test('accepts the reference blueprint and fills in defaults', () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    expect(blueprint.costTags.costCentre).toEqual({ key: 'CostCentre', pattern: '^CC-[0-9]{4}$' });
    expect(blueprint.broker.accessTokenValidityMinutes).toBe(60);
    expect(blueprint.frontOffice.products.map((p) => p.name)).toEqual(['web-shop', 'loyalty']);
    expect(new Set(blueprint.frontOffice.products.map((p) => p.costCentre)).size).toBe(2);
  });

  test('fails when a cost centre is missing, naming the path', () => {
    const input = referenceInput() as any;
    delete input.frontOffice.products[0].costCentre;
    expect(problemsOf(input)).toContain(
      'frontOffice.products[0].costCentre: is required (a string) (received: undefined)',
    );
  });

  test('fails when maintainers or operators name something that cannot assume a role, every one at once', () => {
    const input = referenceInput() as any;
    input.backOffice.capabilities[1].maintainers = ['merchandising', 'arn:aws:s3:::bucket'];
    input.backOffice.operators = [];
    const expected =
      'must be this-account, a 12-digit account id or the ARN of an IAM role or user, e.g. arn:aws:iam::111122223333:role/catalog-editors';
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        `backOffice.capabilities[1].maintainers[0]: ${expected} (received: "merchandising")`,
        `backOffice.capabilities[1].maintainers[1]: ${expected} (received: "arn:aws:s3:::bucket")`,
        'backOffice.operators: must name at least one principal (leave the key out for no such role) (received: [])',
      ]),
    );
  });

  test('accepts this-account, account ids and role or user ARNs as maintainers and operators', () => {
    const input = referenceInput() as any;
    input.backOffice.capabilities[0].maintainers = [
      '111122223333',
      'arn:aws:iam::111122223333:role/order-desk',
      'arn:aws-cn:iam::111122223333:user/path/alice',
    ];
    input.backOffice.operators = ['this-account', 'arn:aws:iam::111122223333:root'];
    expect(() => parseBlueprint(input)).not.toThrow();
  });

  test('fails when an owner is empty', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[1].owner = '';
    expect(problemsOf(input)).toContain(
      'frontOffice.products[1].owner: must be an email address (received: "")',
    );
  });

  test('fails when a tag value has characters AWS rejects', () => {
    const input = referenceInput() as any;
    input.costTags = { costCentre: { key: 'CostCentre', pattern: '.*' } };
    input.frontOffice.products[0].costCentre = 'CC#3100!';
    expect(problemsOf(input)).toContain(
      'frontOffice.products[0].costCentre: a tag value may hold only letters, digits, spaces and _ . : / = + - @ (received: "CC#3100!")',
    );
  });

  test('fails when a cost centre breaks the contract format', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].costCentre = 'marketing';
    expect(problemsOf(input)).toContain(
      'frontOffice.products[0].costCentre: must match ^CC-[0-9]{4}$, the costCentre format of the cost-tag contract (received: "marketing")',
    );
  });

  test('fails when a contract tag key starts with aws:', () => {
    const input = referenceInput() as any;
    input.costTags = { owner: { key: 'aws:owner', pattern: '.+' } };
    expect(problemsOf(input)).toContain(
      'costTags.owner.key: the aws: prefix is reserved by AWS (received: "aws:owner")',
    );
  });

  test('fails when two products share a name', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[1].name = 'web-shop';
    expect(problemsOf(input)).toContain(
      'frontOffice.products[1].name: another product has this name (frontOffice.products[0]) (received: "web-shop")',
    );
  });

  test('fails when a product consumes a scope no capability offers, naming both', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[1].consumes = ['invoices/read'];
    expect(problemsOf(input)).toContain(
      'frontOffice.products[1].consumes[0]: product loyalty consumes scope invoices/read, which no capability offers (offered: catalog/read, orders/read, orders/write) (received: "invoices/read")',
    );
  });

  test('fails on an unknown key, however deep', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].costCenter = 'CC-3100';
    input.brokr = {};
    const problems = problemsOf(input);
    expect(problems).toContain(
      'frontOffice.products[0].costCenter: is not a known key (received: "CC-3100")',
    );
    expect(problems).toContain('brokr: is not a known key (received: {})');
  });

  test('lists every problem at once, structural and semantic', () => {
    const input = referenceInput() as any;
    delete input.frontOffice.products[0].costCentre;
    input.frontOffice.products[1].consumes = ['orders/delete'];
    input.backOffice.capabilities[0].change.reference = 'soon';
    input.extra = true;
    const message = errorOf(() => parseBlueprint(input, 'shop.yaml'));
    expect(message).toMatch(/^shop\.yaml is not a valid Office Zones blueprint \(4 problems\):/);
    expect(message).toContain('frontOffice.products[0].costCentre');
    expect(message).toContain('frontOffice.products[1].consumes[0]');
    expect(message).toContain(
      'backOffice.capabilities[0].change.reference: must be a change ticket id',
    );
    expect(message).toContain('extra: is not a known key');
    expect(message).not.toMatch(/\n\s+at /); // no stack trace in the message
  });

  test('fails when a budget is zero or less', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].monthlyBudgetUsd = 0;
    expect(problemsOf(input)).toContain(
      'frontOffice.products[0].monthlyBudgetUsd: must be greater than zero (received: 0)',
    );
  });

  test('fails when a capability has no operations or names one twice', () => {
    const input = referenceInput() as any;
    input.backOffice.capabilities[1].operations = [];
    input.backOffice.capabilities[0].operations[1].name = 'submit';
    const problems = problemsOf(input);
    expect(problems).toContain(
      'backOffice.capabilities[1].operations: a capability needs at least one operation (received: [])',
    );
    expect(
      problems.some((p) =>
        p.startsWith(
          'backOffice.capabilities[0].operations[1].name: another operation has this name',
        ),
      ),
    ).toBe(true);
  });

  test('fails when a command lacks its body schema or a query misses the ledger key', () => {
    const input = referenceInput() as any;
    delete input.backOffice.capabilities[0].operations[0].body;
    input.backOffice.capabilities[1].operations[0].queryParameters = ['colour'];
    const problems = problemsOf(input);
    expect(problems).toContain(
      'backOffice.capabilities[0].operations[0].body: a command needs the JSON Schema of its body (received: undefined)',
    );
    expect(problems.some((p) => p.includes('colour is not a key of the catalog ledger'))).toBe(
      true,
    );
    expect(problems.some((p) => p.includes('a query must be given category'))).toBe(true);
  });

  test('fails when a backup retention is below the minimum', () => {
    const input = referenceInput() as any;
    input.backOffice.backup = { dailyRetentionDays: 3, monthlyRetentionDays: 30 };
    const problems = problemsOf(input);
    expect(problems).toContain(
      "backOffice.backup.dailyRetentionDays: must be at least 7 days, the back office's backup minimum (received: 3)",
    );
    expect(problems).toContain(
      "backOffice.backup.monthlyRetentionDays: must be at least 90 days, the back office's backup minimum (received: 30)",
    );
  });

  test('fails when the blueprint exceeds a Cognito quota, naming it', () => {
    const input = referenceInput() as any;
    const template = input.backOffice.capabilities[1];
    input.backOffice.capabilities = Array.from({ length: 26 }, (_, i) => ({
      ...template,
      name: `cap${i}`,
      operations: [{ ...template.operations[0], path: `/cap${i}/items` }],
    }));
    input.frontOffice.products.forEach((p: any) => (p.consumes = []));
    input.broker.partners = [];
    expect(problemsOf(input)).toContain(
      'backOffice.capabilities: 26 capabilities exceed the AWS quota "resource servers per user pool" (at most 25) (received: ' +
        JSON.stringify(input.backOffice.capabilities).slice(0, 77) +
        '...)',
    );
  });
});

test('fails when a consumer asks for more than 50 scopes, naming the quota', () => {
  const input = referenceInput() as any;
  const catalog = input.backOffice.capabilities[1];
  catalog.operations = Array.from({ length: 51 }, (_, i) => ({
    name: `list${i}`,
    kind: 'query',
    path: `/catalog/items${i}`,
    scope: `read${i}`,
    queryParameters: ['category'],
  }));
  input.broker.partners[0].scopes = catalog.operations.map((op: any) => `catalog/${op.scope}`);
  const problems = problemsOf(input);
  expect(
    problems.some((p) =>
      p.startsWith(
        'broker.partners[0].scopes: 51 scopes exceed the AWS quota "scopes per app client" (at most 50)',
      ),
    ),
  ).toBe(true);
});

describe('loadBlueprintFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-blueprint-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads the same model from YAML and JSON', () => {
    const yamlFile = path.join(dir, 'shop.yaml');
    const jsonFile = path.join(dir, 'shop.json');
    fs.writeFileSync(yamlFile, YAML.stringify(REFERENCE_BLUEPRINT));
    fs.writeFileSync(jsonFile, JSON.stringify(REFERENCE_BLUEPRINT));
    expect(loadBlueprintFile(yamlFile)).toEqual(parseBlueprint(REFERENCE_BLUEPRINT));
    expect(loadBlueprintFile(jsonFile)).toEqual(parseBlueprint(REFERENCE_BLUEPRINT));
  });

  test('fails with one line when the file is missing or unparseable', () => {
    expect(errorOf(() => loadBlueprintFile(path.join(dir, 'nope.yaml')))).toContain(
      '(file): cannot be read: no such file',
    );
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "enterprise": ');
    expect(errorOf(() => loadBlueprintFile(broken))).toMatch(
      /broken\.json is not a valid Office Zones blueprint \(1 problem\):\n {2}\(file\): is not valid JSON/,
    );
  });
});

describe('blueprint.schema.json', () => {
  test('is the schema generated from the model (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', '..', 'blueprint.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(blueprintJsonSchema())));
  });

  test('forbids unknown keys and knows the product fields', () => {
    const schema = blueprintJsonSchema() as any;
    expect(schema.additionalProperties).toBe(false);
    const product = schema.properties.frontOffice.properties.products.items;
    expect(product.additionalProperties).toBe(false);
    expect(product.required).toEqual(
      expect.arrayContaining(['name', 'owner', 'costCentre', 'monthlyBudgetUsd']),
    );
  });
});

describe('back-office rules', () => {
  test('fails when a capability has no change reference', () => {
    const input = referenceInput() as any;
    delete input.backOffice.capabilities[1].change.reference;
    expect(problemsOf(input)).toContain(
      'backOffice.capabilities[1].change.reference: is required (a string) (received: undefined)',
    );
  });

  test('fails when a capability that takes commands has a ledger sort key', () => {
    const input = referenceInput() as any;
    input.backOffice.capabilities[0].ledger.sortKey = 'placedAt';
    expect(problemsOf(input)).toContain(
      'backOffice.capabilities[0].ledger.sortKey: a capability that takes commands keys its ledger by the command\'s id alone; remove the sort key (received: "placedAt")',
    );
  });

  test('fails when book to bill has no command or an order body without lines', () => {
    const input = referenceInput() as any;
    delete input.backOffice.capabilities[0].operations[0].body.properties.lines;
    input.backOffice.capabilities[1].workflow = 'book-to-bill';
    const problems = problemsOf(input);
    expect(
      problems.some((p) =>
        p.startsWith(
          'backOffice.capabilities[0].operations[0].body.properties: book-to-bill needs lines in the order body',
        ),
      ),
    ).toBe(true);
    expect(problems).toContain(
      'backOffice.capabilities[1].workflow: book-to-bill needs a command that submits orders (received: "book-to-bill")',
    );
  });

  test('fails when a body schema is not one API Gateway accepts as a model, every problem at once', () => {
    const input = referenceInput() as any;
    const body = input.backOffice.capabilities[0].operations[0].body;
    body.properties.customerId = { type: '10.40.0.0/16' };
    body.properties.lines.minItems = -1;
    body.properties.lines.items.properties.sku.pattern = 3.5;
    body.properties.currency = { type: 'string', enum: [[]] };
    body.required.push('giftWrap');
    const at = 'backOffice.capabilities[0].operations[0].body';
    expect(problemsOf(input).filter((p) => p.startsWith(at))).toEqual([
      `${at}.properties.customerId.type: must be valid JSON Schema draft 4, as API Gateway models are: must be equal to one of the allowed values (array, boolean, integer, null, number, object, string) (received: "10.40.0.0/16")`,
      `${at}.properties.lines.items.properties.sku.pattern: must be valid JSON Schema draft 4, as API Gateway models are: must be string (received: 3.5)`,
      `${at}.properties.lines.minItems: must be valid JSON Schema draft 4, as API Gateway models are: must be >= 0 (received: -1)`,
    ]);
    // Once the schema is valid draft 4, what no request can pass.
    body.properties.customerId = { type: 'string', minLength: 65, maxLength: 64 };
    body.properties.lines.minItems = 1;
    body.properties.lines.items.properties.sku.pattern = '^[A-Z0-9-]{3,32}$';
    expect(problemsOf(input).filter((p) => p.startsWith(at))).toEqual([
      `${at}.required[4]: names giftWrap, which properties does not declare and additionalProperties: false forbids: no request can pass (received: "giftWrap")`,
      `${at}.properties.customerId.minLength: is greater than maxLength (64): no value can pass (received: 65)`,
      `${at}.properties.currency.enum[0]: is not of the declared type string: no request can send it (received: [])`,
    ]);
  });

  test('fails when a body schema names another draft or a model it cannot reach', () => {
    const input = referenceInput() as any;
    const body = input.backOffice.capabilities[0].operations[0].body;
    body.$schema = 'http://json-schema.org/draft-07/schema#';
    expect(problemsOf(input)).toContain(
      'backOffice.capabilities[0].operations[0].body.$schema: must be http://json-schema.org/draft-04/schema# or absent: API Gateway models are JSON Schema draft 4 (received: "http://json-schema.org/draft-07/schema#")',
    );
    body.$schema = 'http://json-schema.org/draft-04/schema#';
    body.properties.customerId = { $ref: '#/definitions/Customer' };
    expect(problemsOf(input)).toContainEqual(
      expect.stringMatching(
        /^backOffice\.capabilities\[0\]\.operations\[0\]\.body: cannot be compiled: can't resolve reference #\/definitions\/Customer/,
      ),
    );
  });

  test('fails when a body has no largest size, or one larger than AWS WAF inspects', () => {
    const input = referenceInput() as any;
    const body = input.backOffice.capabilities[0].operations[0].body;
    delete body.properties.lines.maxItems;
    delete body.properties.customerId.maxLength;
    delete body.additionalProperties;
    const at = 'backOffice.capabilities[0].operations[0].body';
    expect(problemsOf(input).filter((p) => p.startsWith(at))).toEqual([
      `${at}.additionalProperties: must be false: undeclared properties leave the body unbounded (received: undefined)`,
    ]);
    body.additionalProperties = false;
    expect(problemsOf(input).filter((p) => p.startsWith(at))).toEqual([
      `${at}.properties.customerId.maxLength: is missing: a string needs a maxLength (or an enum) to bound the body (received: undefined)`,
      `${at}.properties.lines.maxItems: is missing: an array needs a maxItems to bound the body (received: undefined)`,
    ]);
    body.properties.customerId.maxLength = 64;
    body.properties.lines.maxItems = 1000;
    expect(problemsOf(input)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${at.replace(/[.[\]]/g, '\\$&')}: accepts bodies of up to \\d+ bytes; AWS WAF inspects at most 65536 bytes of a request body, so the broker cannot refuse larger ones: lower maxItems or maxLength`,
        ),
      ),
    ]);
  });

  test('fails when a command id is not a string', () => {
    const input = referenceInput() as any;
    input.backOffice.capabilities[0].operations[0].body.properties.orderId = { type: 'integer' };
    expect(problemsOf(input)).toContain(
      'backOffice.capabilities[0].operations[0].body.properties.orderId.type: must be "string": the id is a key of the ledger and of the intake queue (received: "integer")',
    );
  });
});

test('fails when a section is missing, saying what it must be', () => {
  expect(problemsOf({ enterprise: 'X', environment: 'dev', frontOffice: [] })).toEqual([
    'backOffice: is required (an object) (received: undefined)',
    'broker: is required (an object) (received: undefined)',
    'frontOffice: must be an object (received: [])',
  ]);
});
