import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../../lib/blueprint';
import type { AttributionRow } from '../../../../lib/reports/cost-attribution-report';
import { architectureModel, pageModel } from '../../../../lib/reports/page/model';

function row(part: Partial<AttributionRow>): AttributionRow {
  return {
    stack: 'OfficeZones-dev-Broker',
    constructPath: '',
    logicalId: 'X',
    type: 'AWS::SQS::Queue',
    zone: 'integration',
    product: 'broker',
    costCentre: 'CC-2000',
    owner: 'it-integration@northwind.example',
    environment: 'dev',
    taggable: 'yes',
    attribution: 'own tags',
    missingKeys: [],
    ...part,
  };
}

const rows: AttributionRow[] = [
  row({ logicalId: 'Api' }),
  row({ logicalId: 'Untagged', missingKeys: ['Owner'], attribution: 'own tags (missing: Owner)' }),
  row({
    logicalId: 'M1',
    type: 'AWS::ApiGateway::Method',
    taggable: 'no',
    attribution: 'billed through AWS::ApiGateway::RestApi BrokerApi1',
  }),
  row({
    logicalId: 'M2',
    type: 'AWS::ApiGateway::Method',
    taggable: 'no',
    attribution: 'billed through AWS::ApiGateway::RestApi BrokerApi2',
  }),
  row({
    logicalId: 'P',
    type: 'AWS::IAM::Policy',
    taggable: 'no',
    attribution: 'no charge',
    zone: 'front-office',
    product: 'web-shop',
    costCentre: 'CC-3100',
  }),
];

describe('pageModel', () => {
  const model = pageModel({
    blueprint: parseBlueprint(REFERENCE_BLUEPRINT),
    rows,
    security: { validated: true, packs: [] },
    accessPaths: { state: 'absent' },
  });

  test('draws its pictures from the blueprint alone: the part architectureModel gives before any synth', () => {
    const { backOffice, broker, consumers } = model;
    expect(architectureModel(parseBlueprint(REFERENCE_BLUEPRINT))).toEqual({
      backOffice,
      broker,
      consumers,
    });
  });

  test('counts resources by zone, product and cost centre, and the tag coverage', () => {
    expect(model.cost).toMatchObject({ resources: 5, taggable: 2, covered: 1 });
    expect(model.cost.byZone).toEqual([
      { key: 'front-office', taggable: 0, untaggable: 1 },
      { key: 'integration', taggable: 2, untaggable: 2 },
    ]);
    expect(model.cost.byProduct.map((c) => c.key)).toEqual(['broker', 'web-shop']);
    expect(model.cost.byCostCentre.map((c) => c.key)).toEqual(['CC-2000', 'CC-3100']);
  });

  test('groups untaggable resources by type and kind of attribution, whatever their parent', () => {
    expect(model.cost.untaggable).toEqual([
      {
        type: 'AWS::ApiGateway::Method',
        attribution: 'billed through AWS::ApiGateway::RestApi',
        count: 2,
        note: undefined,
      },
      { type: 'AWS::IAM::Policy', attribution: 'no charge', count: 1, note: undefined },
    ]);
  });

  test("sums budgets by cost centre: its products' and its own", () => {
    expect(model.cost.budgetsByCostCentre).toEqual([
      { costCentre: 'CC-1000', products: [], productBudgetsUsd: 0, costCentreBudgetUsd: 500 },
      { costCentre: 'CC-1100', products: [], productBudgetsUsd: 0, costCentreBudgetUsd: 2500 },
      { costCentre: 'CC-1200', products: [], productBudgetsUsd: 0, costCentreBudgetUsd: 600 },
      {
        costCentre: 'CC-3100',
        products: ['web-shop'],
        productBudgetsUsd: 800,
        costCentreBudgetUsd: undefined,
      },
      {
        costCentre: 'CC-3200',
        products: ['loyalty'],
        productBudgetsUsd: 300,
        costCentreBudgetUsd: undefined,
      },
    ]);
  });

  test('gives each route its target and the declared consumers holding its scope', () => {
    expect(model.broker.routes.map((r) => [r.method, r.path, r.target, r.consumers])).toEqual([
      ['POST', '/orders', 'orders intake queue (SQS)', ['product.web-shop']],
      [
        'GET',
        '/orders/{orderId}',
        'orders ledger (DynamoDB)',
        ['product.web-shop', 'product.loyalty'],
      ],
      [
        'GET',
        '/catalog/items',
        'catalog ledger (DynamoDB)',
        ['product.web-shop', 'partner.marketplace'],
      ],
    ]);
  });
});
