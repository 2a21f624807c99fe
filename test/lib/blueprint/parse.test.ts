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
