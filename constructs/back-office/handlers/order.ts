/**
 * An order as the back office accepts it, and the arithmetic of its invoice. Money is kept in
 * minor units (pence, cents) so that totals never depend on floating point.
 */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
}

const CURRENCIES = new Set(['GBP', 'EUR', 'USD']);
const ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Why the back office refuses this order, or an empty list when it is a valid order. */
export function orderProblems(body: unknown, idField: string): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return ['the order is not a JSON object'];
  const o = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o[idField] !== 'string' || !ID.test(o[idField] as string))
    problems.push(`${idField} must be 1 to 80 letters, digits, hyphens or underscores`);
  if (typeof o.customerId !== 'string' || o.customerId.length === 0)
    problems.push('customerId must be a non-empty string');
  if (typeof o.currency !== 'string' || !CURRENCIES.has(o.currency))
    problems.push(`currency must be one of ${[...CURRENCIES].join(', ')}`);
  if (!Array.isArray(o.lines) || o.lines.length === 0) {
    problems.push('lines must be a non-empty list');
  } else {
    o.lines.forEach((line: unknown, i) => {
      const l = (line ?? {}) as Record<string, unknown>;
      if (typeof l.sku !== 'string' || l.sku.length === 0)
        problems.push(`lines[${i}].sku must be a non-empty string`);
      if (!Number.isInteger(l.quantity) || (l.quantity as number) < 1)
        problems.push(`lines[${i}].quantity must be a whole number of at least 1`);
      if (typeof l.unitPrice !== 'number' || !Number.isFinite(l.unitPrice) || l.unitPrice < 0)
        problems.push(`lines[${i}].unitPrice must be a number of at least 0`);
    });
  }
  return problems;
}

/** The order total in minor units. */
export function totalMinorUnits(order: Pick<Order, 'lines'>): number {
  return order.lines.reduce(
    (sum, line) => sum + Math.round(line.unitPrice * 100) * line.quantity,
    0,
  );
}

/** The invoice id of an order: one invoice per order, so issuing it twice is recognisable. */
export function invoiceIdOf(orderId: string): string {
  return `INV-${orderId}`;
}
