import {
  environmentBlueprints,
  parseBlueprint,
  requiresApproval,
  zoneTargets,
} from '../../../lib/blueprint';
import { problemsOf, referenceInput } from '../../helpers';
import { multiAccountInput } from '../../support/multi-account';

/** The multi-account input with its environments replaced. */
function withEnvironments(environments: unknown, extra: Record<string, unknown> = {}): unknown {
  return { ...multiAccountInput(), environments, ...extra };
}

const accounts = (prefix: string) => ({
  backOffice: `${prefix}0000000001`,
  integration: `${prefix}0000000002`,
  frontOffice: `${prefix}0000000003`,
  management: '200000000000',
});

describe('environments and accounts in the blueprint', () => {
  test('a blueprint without environments builds one environment-agnostic environment', () => {
    const blueprint = parseBlueprint(referenceInput());
    expect(environmentBlueprints(blueprint)).toEqual([blueprint]);
    expect(zoneTargets(blueprint)).toBeUndefined();
  });

  test('each declared environment gets its name, region, accounts and Cognito domain', () => {
    const blueprint = parseBlueprint(multiAccountInput());
    expect(blueprint.environment).toBe('test');
    const [test, prod] = environmentBlueprints(blueprint);
    expect([test.environment, prod.environment]).toEqual(['test', 'prod']);
    expect(prod.region).toBe('eu-west-2');
    expect(prod.broker.domainPrefix).toBe(`${blueprint.broker.domainPrefix}-prod`);
    const zones = zoneTargets(prod)!;
    expect(zones.backOffice).toEqual({ account: '310000000001', region: 'eu-west-2' });
    expect(zones.integration.account).toBe('310000000002');
    expect(zones.product('web-shop').account).toBe('310000000004');
    expect(zones.product('loyalty').account).toBe('310000000003');
    expect(zones.frontOfficeAccounts).toEqual(['310000000003', '310000000004']);
    expect(zones.management).toEqual({ account: '200000000000', region: 'eu-west-2' });
  });

  test('a parsed blueprint parses again to itself', () => {
    const blueprint = parseBlueprint(multiAccountInput());
    expect(parseBlueprint(blueprint)).toEqual(blueprint);
  });

  test('the pipeline waits for a person before prod unless told otherwise', () => {
    expect(requiresApproval({ name: 'prod' })).toBe(true);
    expect(requiresApproval({ name: 'test' })).toBe(false);
    expect(requiresApproval({ name: 'prod', approval: false })).toBe(false);
    expect(requiresApproval({ name: 'staging', approval: true })).toBe(true);
  });

  test('fails when an account id is not 12 digits, naming each by path and value', () => {
    const problems = problemsOf(
      withEnvironments([
        { name: 'test', accounts: { ...accounts('21'), backOffice: '12345', integration: 2100 } },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'environments[0].accounts.backOffice: must be a 12-digit AWS account id, e.g. "111122223333" (received: "12345")',
        // A number in YAML (unquoted) loses leading zeros: it must be quoted.
        'environments[0].accounts.integration: must be a string: put it in quotes, "2100" (received: 2100)',
      ]),
    );
  });

  test('fails when an account id lost its leading zero to YAML, saying so', () => {
    const problems = problemsOf(
      withEnvironments([
        { name: 'test', accounts: { ...accounts('21'), backOffice: 12345678901 } },
      ]),
    );
    expect(problems).toEqual([
      'environments[0].accounts.backOffice: must be a string: put it in quotes exactly as written (YAML read it as the number 12345678901, dropping any leading zeros) (received: 12345678901)',
    ]);
  });

  test('fails when environments name different management accounts, or the delivery account holds a zone, a product or the management account', () => {
    const delivery = (account: string) => ({
      account,
      repository: 'northwind/office-zones-blueprint',
      connectionArn:
        'arn:aws:codeconnections:eu-west-2:200000000009:connection/0a1b2c3d-0000-1111-2222-333344445555',
    });
    const two = [
      { name: 'test', accounts: accounts('21') },
      {
        name: 'prod',
        accounts: {
          ...accounts('31'),
          management: '300000000000',
          products: { 'web-shop': '310000000004' },
        },
      },
    ];
    expect(problemsOf(withEnvironments(two, { delivery: delivery('310000000004') }))).toEqual([
      expect.stringMatching(
        /^environments\[1\]\.accounts\.management: differs from environments\[0\]'s management account \(200000000000\)/,
      ),
      expect.stringMatching(
        /^delivery\.account: 310000000004 is an account of environment prod \(environments\[1\]\): every account trusts the delivery account/,
      ),
    ]);
    expect(
      problemsOf(withEnvironments(two.slice(0, 1), { delivery: delivery('200000000000') })),
    ).toEqual([
      expect.stringMatching(/^delivery\.account: 200000000000 is the management account/),
    ]);
  });

  test('fails when an account serves two environments, the management account aside', () => {
    const problems = problemsOf(
      withEnvironments([
        { name: 'test', accounts: accounts('21') },
        { name: 'prod', accounts: { ...accounts('31'), backOffice: '210000000001' } },
      ]),
    );
    expect(problems).toEqual([
      'environments[1].accounts.backOffice: 210000000001 already holds environment test (environments[0]): an account serves one environment, so prod\'s data and permissions never mix with test\'s (received: "210000000001")',
    ]);
  });

  test("fails when a front-office account is also the back office's or the integration zone's, or the management account holds a zone", () => {
    const problems = problemsOf(
      withEnvironments([
        {
          name: 'test',
          accounts: {
            ...accounts('21'),
            frontOffice: '210000000001',
            management: '210000000002',
            products: { loyalty: '210000000002' },
          },
        },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^environments\[0\]\.accounts\.frontOffice: is the back office's account too \(210000000001\)/,
        ),
        expect.stringMatching(
          /^environments\[0\]\.accounts\.products\.loyalty: is the integration zone's account too \(210000000002\)/,
        ),
        expect.stringMatching(
          /^environments\[0\]\.accounts\.management: is also the account of integration \(210000000002\): the management account runs no zone/,
        ),
      ]),
    );
  });

  test('fails when a product override names no product, every problem at once', () => {
    const problems = problemsOf(
      withEnvironments([
        {
          name: 'test',
          accounts: { ...accounts('21'), products: { 'gift-cards': '210000000009' } },
        },
        { name: 'test', region: 'cn-north-1', accounts: accounts('31') },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'environments[0].accounts.products.gift-cards: is not a product of frontOffice.products (products: loyalty, web-shop) (received: "210000000009")',
        'environments[1].name: another environment has this name (environments[0]) (received: "test")',
        expect.stringMatching(
          /^environments\[1\]\.region: cn-north-1 has no Amazon Cognito user pools/,
        ),
      ]),
    );
  });

  test('fails when an environment has no region, or environment and environments disagree', () => {
    const input = withEnvironments([{ name: 'test', accounts: accounts('21') }], {
      environment: 'dev',
    }) as Record<string, unknown>;
    delete input.region;
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environment: give environment .* or environments .*, not both/),
        expect.stringMatching(/^environments\[0\]\.region: is required/),
      ]),
    );
  });

  test('fails when the management account is missing but cost management or organisation policies need it', () => {
    const noManagement: Record<string, string> = { ...accounts('21') };
    delete noManagement.management;
    const problems = problemsOf(withEnvironments([{ name: 'test', accounts: noManagement }]));
    expect(problems).toEqual([
      'environments[0].accounts.management: is required because the blueprint has costManagement, which deploys to the management account (received: undefined)',
    ]);
  });

  test('fails when delivery has no environments to deliver, or neither environment nor environments is given', () => {
    const withDelivery = {
      ...referenceInput(),
      delivery: parseBlueprint(multiAccountInputWithDelivery()).delivery,
    };
    expect(problemsOf(withDelivery)).toEqual([
      expect.stringMatching(/^delivery: needs environments/),
    ]);
    const neither = referenceInput() as Record<string, unknown>;
    delete neither.environment;
    expect(problemsOf(neither)).toEqual([
      'environment: is required: name the environment, e.g. dev (or declare environments) (received: undefined)',
    ]);
  });

  test('fails when a Cognito domain prefix with the environment name would exceed 63 characters', () => {
    const input = withEnvironments([{ name: 'integration-qa', accounts: accounts('21') }]) as {
      broker: Record<string, unknown>;
    };
    input.broker = { ...input.broker, domainPrefix: 'a'.repeat(50) };
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^broker\.domainPrefix: with environment integration-qa the Cognito domain prefix .* has 65 characters; Cognito allows at most 63/,
        ),
      ]),
    );
  });
});

function multiAccountInputWithDelivery(): unknown {
  return {
    ...multiAccountInput(),
    delivery: {
      account: '200000000009',
      repository: 'northwind/office-zones-blueprint',
      connectionArn:
        'arn:aws:codeconnections:eu-west-2:200000000009:connection/0a1b2c3d-0000-1111-2222-333344445555',
    },
  };
}
