import { parseBlueprint, SHARED_PRODUCT_TAGS } from '../../../lib/blueprint';
import { allStacks } from '../../../lib/stacks/office-zones';
import { buildReference, problemsOf, referenceInput } from '../../helpers';

describe('cost-attribution rules of the blueprint', () => {
  test('the reference declares back-office budgets and the cost-management stack', () => {
    const blueprint = parseBlueprint(referenceInput());
    expect(blueprint.backOffice.budgets?.map((b) => b.costCentre)).toEqual([
      'CC-1000',
      'CC-1100',
      'CC-1200',
    ]);
    expect(blueprint.costManagement).toEqual({
      costCategoryName: 'Office zone',
      activateCostAllocationTags: true,
    });
  });

  test('fails when a product has no owner and no cost centre, listing both', () => {
    const input = referenceInput() as any;
    delete input.frontOffice.products[0].owner;
    delete input.frontOffice.products[0].costCentre;
    expect(problemsOf(input)).toEqual([
      'frontOffice.products[0].owner: is required (a string) (received: undefined)',
      'frontOffice.products[0].costCentre: is required (a string) (received: undefined)',
    ]);
  });

  test('fails when a product name cannot end a stack name', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].name = 'Web Shop';
    expect(problemsOf(input)).toContain(
      'frontOffice.products[0].name: must be 2 to 30 lower-case letters, digits or single hyphens, starting with a letter, so that it can end a stack name (<stackPrefix>-<environment>-Product-<name>) (received: "Web Shop")',
    );
  });

  test('fails when a product takes the name of a capability or of shared IT resources', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].name = 'orders';
    input.frontOffice.products[1].name = 'broker';
    expect(problemsOf(input)).toEqual([
      'frontOffice.products[0].name: is also the name of back-office capability backOffice.capabilities[0]; the product cost tag would attribute both to one product (received: "orders")',
      'frontOffice.products[1].name: is reserved: the product cost tag broker attributes shared IT resources (received: "broker")',
    ]);
  });

  test('fails when a product or a capability takes a name a stack reserves for its product tag', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].name = 'organization';
    input.backOffice.capabilities[1].name = 'cost-management';
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        'backOffice.capabilities[1].name: is reserved: the product cost tag cost-management attributes shared IT resources (received: "cost-management")',
        'frontOffice.products[0].name: is reserved: the product cost tag organization attributes shared IT resources (received: "organization")',
      ]),
    );
  });

  test('every product tag a stack takes for itself is one the blueprint rules reserve', () => {
    const input = referenceInput() as any;
    input.organization = {
      frontOfficeOuIds: ['ou-abcd-11111111'],
      backOfficeOuIds: ['ou-abcd-22222222'],
    };
    const { blueprint, stacks } = buildReference(input);
    const own = new Set([
      ...blueprint.frontOffice.products.map((p) => p.name),
      ...blueprint.backOffice.capabilities.map((c) => c.name),
    ]);
    const stackTags = allStacks(stacks)
      .map((stack) => stack.tags.tagValues()[blueprint.costTags.product.key])
      .filter((value) => !own.has(value));
    expect(stackTags.length).toBeGreaterThanOrEqual(5);
    expect(stackTags.filter((t) => !Object.values(SHARED_PRODUCT_TAGS).includes(t as any))).toEqual(
      [],
    );
  });

  test('fails when a back-office budget is zero, for an unknown cost centre, or one is missing', () => {
    const input = referenceInput() as any;
    input.backOffice.budgets = [
      { costCentre: 'CC-1000', monthlyBudgetUsd: 0 },
      { costCentre: 'CC-9999', monthlyBudgetUsd: 10 },
      { costCentre: 'CC-1000', monthlyBudgetUsd: 10 },
    ];
    expect(problemsOf(input)).toEqual([
      'backOffice.budgets[0].monthlyBudgetUsd: must be greater than zero (received: 0)',
      'backOffice.budgets[1].costCentre: is not a back-office cost centre (back-office cost centres: CC-1000, CC-1100, CC-1200) (received: "CC-9999")',
      'backOffice.budgets[2].costCentre: another budget is for this cost centre (backOffice.budgets[0]) (received: "CC-1000")',
      'backOffice.budgets: every back-office cost centre needs a budget; missing: CC-1100, CC-1200 (received: [{"costCentre":"CC-1000","monthlyBudgetUsd":0},{"costCentre":"CC-9999","month...)',
    ]);
  });

  test('fails when a budget alert goes to something that is not an email address', () => {
    const input = referenceInput() as any;
    input.backOffice.budgets[1].notify = ['finance'];
    expect(problemsOf(input)).toEqual([
      'backOffice.budgets[1].notify[0]: must be an email address (received: "finance")',
    ]);
  });

  test('fails when the cost category name has characters AWS rejects', () => {
    const input = referenceInput() as any;
    input.costManagement.costCategoryName = 'Office/zone ';
    expect(problemsOf(input)).toEqual([
      'costManagement.costCategoryName: must be letters, digits, spaces, _ or -, not starting or ending with a space (received: "Office/zone ")',
    ]);
  });

  test('fails when an API authorizer has no audience or a plain-HTTP issuer', () => {
    const input = referenceInput() as any;
    input.frontOffice.products[0].components.api.authorizer = {
      issuer: 'http://issuer.example',
      audiences: [],
    };
    expect(problemsOf(input)).toEqual([
      'frontOffice.products[0].components.api.authorizer.issuer: must be an https:// issuer URL (received: "http://issuer.example")',
      'frontOffice.products[0].components.api.authorizer.audiences: needs at least one audience (received: [])',
    ]);
  });

  test('leaves out back-office budgets and the cost-management stack unless asked', () => {
    const input = referenceInput() as any;
    delete input.backOffice.budgets;
    delete input.costManagement;
    const blueprint = parseBlueprint(input);
    expect(blueprint.backOffice.budgets).toBeUndefined();
    expect(blueprint.costManagement).toBeUndefined();
  });
});
