import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import {
  BlueprintError,
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

  test('fails on an unknown key, however deep, and suggests the key it most likely meant', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].costCenter = 'CC-3100';
    input.frontOffice.products[0].components.api.MemoryMB = 512;
    input.brokr = {};
    input.colour = 'pink';
    const problems = problemsOf(input);
    expect(problems).toEqual(
      expect.arrayContaining([
        'frontOffice.products[0].costCenter: is not a known key; did you mean costCentre? (received: "CC-3100")',
        'frontOffice.products[0].components.api.MemoryMB: is not a known key; did you mean memoryMb? (received: 512)',
        'brokr: is not a known key; did you mean broker? (received: {})',
        'colour: is not a known key (received: "pink")',
      ]),
    );
  });

  test('lists every problem at once, structural and semantic', () => {
    const input = referenceInput() as any;
    delete input.frontOffice.products[0].costCentre;
    input.frontOffice.products[1].consumes = ['orders/delete'];
    input.backOffice.capabilities[0].change.reference = 'soon';
    input.extra = true;
    const message = errorOf(() => parseBlueprint(input, 'shop.yaml'));
    expect(message).toMatch(/^shop\.yaml is not a valid Office Zones blueprint \(4 problems\):/);
    // Named lists name their items, so a reader need not count.
    expect(message).toContain('frontOffice.products[0] (web-shop).costCentre');
    expect(message).toContain('frontOffice.products[1] (loyalty).consumes[0]');
    expect(message).toContain(
      'backOffice.capabilities[0] (orders).change.reference: must be a change ticket id',
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

  test('fails when the vault lock does not fit the retention, as ZoneBackup says it', () => {
    const input = referenceInput() as any;
    input.backOffice.backup = {
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
      vaultLock: { minRetentionDays: 40, maxRetentionDays: 100 },
    };
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        'backOffice.backup.vaultLock.minRetentionDays: must not exceed dailyRetentionDays (35), or the vault refuses the daily backups (received: 40)',
        'backOffice.backup.vaultLock.maxRetentionDays: must be at least monthlyRetentionDays (365), or the vault refuses the monthly backups (received: 100)',
      ]),
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

test('fails when the partners take the consumers over the app-client quota, and passes once it is raised', () => {
  const input = referenceInput() as any;
  const partner = input.broker.partners[0];
  input.broker.partners = Array.from({ length: 1000 }, (_, i) => ({ ...partner, name: `p${i}` }));
  const problems = problemsOf(input);
  expect(
    problems.some((p) =>
      p.startsWith(
        'broker.partners: 1002 consumers (products and partners) exceed the AWS quota "app clients per user pool" (at most 1000); declare deployment.accountQuotas.cognitoAppClients once AWS has raised it',
      ),
    ),
  ).toBe(true);
  input.deployment = { accountQuotas: { cognitoAppClients: 2000 } };
  expect(parseBlueprint(input).broker.partners).toHaveLength(1000);
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

  test('fails when the file is missing, saying which file it looked for', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(errorOf(() => loadBlueprintFile(missing))).toBe(
      `Cannot read the blueprint file ${missing}:\n  (file): no such file (received: ${JSON.stringify(missing)})`,
    );
    const relative = path.relative(process.cwd(), missing);
    expect(errorOf(() => loadBlueprintFile(relative))).toContain(
      `Cannot read the blueprint file ${missing}:`,
    );
    expect(errorOf(() => loadBlueprintFile(dir))).toContain('(file): is a directory, not a file');
  });

  test('fails when the JSON is broken, with the line, the column and the code there', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{\n  "enterprise": "Acme",\n  "environment" "dev"\n}\n');
    const message = errorOf(() => loadBlueprintFile(broken));
    expect(message).toMatch(/^broken\.json is not valid JSON \(.*broken\.json\):\n/);
    expect(message).toContain('  (file) line 3, column 17: ');
    expect(message).toContain('(received: "\\"environment\\" \\"dev\\"")');
    expect(message).toContain('\n        "environment" "dev"\n                      ^');
  });

  test('fails when the YAML is broken, with every error, its line and the code there', () => {
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'enterprise: Acme\nenvironment: dev: prod\nbroker: [a, b\n');
    const message = errorOf(() => loadBlueprintFile(broken));
    expect(message).toMatch(/^broken\.yaml is not valid YAML \(.*broken\.yaml\):\n/);
    expect(message).toContain(
      '  (file) line 2, column 14: Nested mappings are not allowed in compact mappings (received: "environment: dev: prod")\n      environment: dev: prod\n                   ^',
    );
    expect(message).toMatch(/\n {2}\(file\) line 4, column 1: Flow sequence/);
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

describe('parseBlueprint, called from code', () => {
  // Every value a TypeScript caller can build gets the problem a file would, never a TypeError.
  const refusal = (change: (input: any) => void) => {
    const input = referenceInput() as any;
    change(input);
    let error: unknown;
    try {
      parseBlueprint(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BlueprintError);
    return (error as BlueprintError).problems.map(
      (p) => `${p.path}: ${p.message} (received: ${p.received})`,
    );
  };

  test('fails when a list holds undefined or a hole, naming the item', () => {
    const maybeProduct: any = undefined;
    expect(
      refusal((input) => {
        input.frontOffice.products.push(maybeProduct);
        // A list with a hole at index 0, as `new Array(2)` or `[, partner]` makes it.
        input.broker.partners = new Array(2);
        input.broker.partners[1] = {
          name: 'acme',
          owner: 'it@acme.example',
          scopes: ['orders/read'],
        };
      }),
    ).toEqual([
      'broker.partners[0]: is an empty item of the list (a hole or undefined): remove it or give an object (received: undefined)',
      'frontOffice.products[2]: is an empty item of the list (a hole or undefined): remove it or give an object (received: undefined)',
    ]);
  });

  test('fails when a value is a function, a bigint, a Map or NaN, saying what it is', () => {
    expect(
      refusal((input) => {
        input.enterprise = () => 'Acme';
        input.frontOffice.products[0].monthlyBudgetUsd = 10n;
        input.frontOffice.products[1].monthlyBudgetUsd = NaN;
        input.frontOffice.products[0].consumes = new Map();
      }),
    ).toEqual([
      'enterprise: must be a string (received: a function)',
      'frontOffice.products[0].monthlyBudgetUsd: must be a number (received: 10n)',
      'frontOffice.products[0].consumes: must be an array (received: a Map of 0 entries)',
      'frontOffice.products[1].monthlyBudgetUsd: must be a number (received: NaN)',
    ]);
  });

  test('fails when the blueprint refers back to itself or a property cannot be read', () => {
    expect(
      refusal((input) => {
        input.frontOffice.products[0].components.web.self = input.frontOffice;
        Object.defineProperty(input, 'environment', {
          enumerable: true,
          get: () => {
            throw new Error('not loaded yet');
          },
        });
      }),
    ).toEqual([
      'environment: cannot be read: not loaded yet (received: a property that throws)',
      'frontOffice.products[0].components.web.self: refers back to frontOffice (a cycle): a blueprint is a tree (received: a cycle)',
    ]);
  });
});

describe('declarations that would do nothing', () => {
  test('fails when a product has an api but consumes nothing', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].consumes = [];
    expect(problemsOf(input)).toEqual([
      'frontOffice.products[0].consumes: is empty, but the product has an api: its routes are the broker operations it consumes, so it would have none; consume a scope or remove components.api (received: [])',
    ]);
  });

  test('fails when a partner may use no scope', () => {
    const input = referenceInput() as any;
    input.broker.partners = [{ name: 'acme', owner: 'it@acme.example', scopes: [] }];
    expect(problemsOf(input)).toEqual([
      'broker.partners[0].scopes: needs at least one scope: a partner without one could call nothing (received: [])',
    ]);
  });

  test('fails when a name or description is blank', () => {
    const input = referenceInput() as any;
    input.enterprise = ' ';
    input.backOffice.capabilities[0].description = '\t';
    input.frontOffice.products[0].description = '  ';
    expect(problemsOf(input)).toEqual([
      'enterprise: must not be blank (received: " ")',
      'backOffice.capabilities[0].description: must not be blank (received: "\\t")',
      'frontOffice.products[0].description: must not be blank (received: "  ")',
    ]);
  });

  test('fails when a number stands where a string belongs, saying to quote it', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[1].costCentre = 1234;
    input.environment = true;
    expect(problemsOf(input)).toEqual([
      'environment: must be a string: put it in quotes, "true" (received: true)',
      'frontOffice.products[1].costCentre: must be a string: put it in quotes, "1234" (received: 1234)',
    ]);
  });
});
