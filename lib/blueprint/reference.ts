import type { BlueprintInput } from './model';

/**
 * The reference blueprint: a small retailer. `npx cdk synth` builds it when no `-c blueprint=`
 * is given. Orders flow from the web shop through the broker into the back office; the loyalty
 * product reads orders and the catalogue; a marketplace partner reads the catalogue.
 */
export const REFERENCE_BLUEPRINT: BlueprintInput = {
  enterprise: 'Northwind Retail',
  environment: 'dev',
  region: 'eu-west-2',
  stackPrefix: 'OfficeZones',
  backOffice: {
    owner: 'it-back-office@northwind.example',
    costCentre: 'CC-1000',
    operationsEmail: 'it-operations@northwind.example',
    operators: ['this-account'],
    backup: { dailyRetentionDays: 35, monthlyRetentionDays: 365 },
    capabilities: [
      {
        name: 'orders',
        description: 'Order intake, fulfilment, the orders ledger and invoices.',
        owner: 'order-management@northwind.example',
        costCentre: 'CC-1100',
        change: { owner: 'change-board@northwind.example', reference: 'CHG-1001' },
        ledger: { partitionKey: 'orderId' },
        workflow: 'book-to-bill',
        operations: [
          {
            name: 'submit',
            kind: 'command',
            path: '/orders',
            body: {
              $schema: 'http://json-schema.org/draft-04/schema#',
              title: 'Order',
              type: 'object',
              additionalProperties: false,
              required: ['orderId', 'customerId', 'currency', 'lines'],
              properties: {
                orderId: {
                  type: 'string',
                  pattern: '^[A-Za-z0-9-]{8,64}$',
                  description: 'Chosen by the caller; a repeated order id is the same order.',
                },
                customerId: { type: 'string', minLength: 1, maxLength: 64 },
                currency: { type: 'string', enum: ['GBP', 'EUR', 'USD'] },
                lines: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 100,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['sku', 'quantity', 'unitPrice'],
                    properties: {
                      sku: { type: 'string', pattern: '^[A-Z0-9-]{3,32}$', maxLength: 32 },
                      quantity: { type: 'integer', minimum: 1, maximum: 1000 },
                      unitPrice: { type: 'number', minimum: 0 },
                    },
                  },
                },
              },
            },
          },
          { name: 'get', kind: 'query', path: '/orders/{orderId}' },
        ],
      },
      {
        name: 'catalog',
        description: 'The product catalogue, read-only to the front office.',
        owner: 'merchandising-systems@northwind.example',
        costCentre: 'CC-1200',
        change: { owner: 'change-board@northwind.example', reference: 'CHG-1002' },
        ledger: { partitionKey: 'category', sortKey: 'sku' },
        // Merchandising keeps the catalogue through its maintainer role; orders have none: the
        // book-to-bill workflow is their only writer.
        maintainers: ['this-account'],
        operations: [
          {
            name: 'listItems',
            kind: 'query',
            path: '/catalog/items',
            queryParameters: ['category'],
          },
        ],
      },
    ],
    budgets: [
      { costCentre: 'CC-1000', monthlyBudgetUsd: 500 },
      {
        costCentre: 'CC-1100',
        monthlyBudgetUsd: 2500,
        notify: ['it-back-office@northwind.example', 'order-management@northwind.example'],
      },
      { costCentre: 'CC-1200', monthlyBudgetUsd: 600 },
    ],
  },
  broker: {
    owner: 'it-integration@northwind.example',
    costCentre: 'CC-2000',
    domainPrefix: 'northwind-retail-dev',
    partners: [
      {
        name: 'marketplace',
        description: 'A marketplace that lists our catalogue.',
        owner: 'partnerships@northwind.example',
        scopes: ['catalog/read'],
        throttle: { rateLimit: 5, burstLimit: 10 },
      },
    ],
  },
  costManagement: { costCategoryName: 'Office zone', activateCostAllocationTags: true },
  frontOffice: {
    products: [
      {
        name: 'web-shop',
        description: 'The online shop: browse the catalogue, place orders.',
        owner: 'web-shop-team@northwind.example',
        costCentre: 'CC-3100',
        monthlyBudgetUsd: 800,
        components: { web: { countries: ['GB', 'IE', 'FR', 'DE', 'NL'] }, api: {} },
        consumes: ['catalog/read', 'orders/write', 'orders/read'],
      },
      {
        name: 'loyalty',
        description: 'Loyalty points for customers, earned on orders.',
        owner: 'loyalty-team@northwind.example',
        costCentre: 'CC-3200',
        monthlyBudgetUsd: 300,
        components: { web: { countries: ['GB', 'IE'] }, data: {} },
        consumes: ['orders/read'],
      },
    ],
  },
};
