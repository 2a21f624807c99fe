import {
  invoicesTableName,
  ledgerTableName,
  workflowFunctionName,
} from '../../../lib/blueprint/names';

const blueprint = { stackPrefix: 'OfficeZones', environment: 'dev' };

describe('names the back office and its operations stack both know', () => {
  test('a workflow function is named after its capability', () => {
    expect(workflowFunctionName(blueprint, 'orders')).toBe('OfficeZones-dev-orders-workflow');
  });

  test("a workflow function name stays within Lambda's 64 characters and unique per capability", () => {
    const long = { stackPrefix: 'NorthwindTradersEnterprise', environment: 'production' };
    const a = workflowFunctionName(long, 'order-intake-and-fulfilment-a');
    const b = workflowFunctionName(long, 'order-intake-and-fulfilment-b');
    expect(a.length).toBeLessThanOrEqual(64);
    expect(b.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test("an invoices ledger is its ledger's name with -invoices", () => {
    expect(invoicesTableName(blueprint, 'orders')).toBe(
      `${ledgerTableName(blueprint, 'orders')}-invoices`,
    );
  });
});
