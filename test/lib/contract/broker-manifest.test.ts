import { brokerManifest } from '../../../lib/contract/broker-manifest';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';

describe('brokerManifest', () => {
  const manifest = brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT));

  test('lists every scope with the operations that need it', () => {
    expect(manifest.scopes).toEqual([
      { scope: 'orders/read', capability: 'orders', operations: ['get'] },
      { scope: 'orders/write', capability: 'orders', operations: ['submit'] },
      { scope: 'catalog/read', capability: 'catalog', operations: ['listItems'] },
    ]);
  });

  test('names every declared consumer as the broker names its app client', () => {
    expect(manifest.consumers.map((c) => [c.clientName, c.scopes])).toEqual([
      ['product.web-shop', ['catalog/read', 'orders/write', 'orders/read']],
      ['product.loyalty', ['orders/read']],
      ['partner.marketplace', ['catalog/read']],
    ]);
  });

  test('leaves deploy-time values null and says where the deployed broker publishes them', () => {
    expect(manifest.userPool).toEqual({
      name: 'OfficeZones-dev-broker',
      id: null,
      idParameter: '/office-zones/OfficeZones/dev/broker/user-pool-id',
    });
    expect(manifest.api).toEqual({
      stage: 'v1',
      url: null,
      urlParameter: '/office-zones/OfficeZones/dev/broker/api-url',
      id: null,
      idParameter: '/office-zones/OfficeZones/dev/broker/api-id',
      onboardedUsagePlanId: null,
      onboardedUsagePlanIdParameter: '/office-zones/OfficeZones/dev/broker/onboarded-usage-plan-id',
    });
  });

  test('gives each route what a caller needs to build a request the broker accepts', () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const [orders, catalog] = blueprint.backOffice.capabilities;
    expect(manifest.routes).toEqual([
      {
        method: 'POST',
        path: '/orders',
        scope: 'orders/write',
        operation: 'orders.submit',
        kind: 'command',
        idField: 'orderId',
        body: orders.operations[0].body,
      },
      {
        method: 'GET',
        path: '/orders/{orderId}',
        scope: 'orders/read',
        operation: 'orders.get',
        kind: 'query',
      },
      {
        method: 'GET',
        path: '/catalog/items',
        scope: 'catalog/read',
        operation: 'catalog.listItems',
        kind: 'query',
        queryParameters: ['category'],
      },
    ]);
    expect(catalog.operations[0].queryParameters).toEqual(['category']);
  });
});
