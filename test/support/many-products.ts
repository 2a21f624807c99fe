import type { BlueprintInput } from '../../lib/blueprint';
import { referenceInput } from '../helpers';

/**
 * The reference with `count` front-office products (instead of its two), ten to a cost centre,
 * each consuming one to three of the broker's scopes: an enterprise at the scale PRODUCT.md aims
 * for. Each product has only a data component, so its stack stays small.
 */
export function manyProductsInput(count: number): BlueprintInput {
  const input = referenceInput() as any;
  const scopes = ['catalog/read', 'orders/write', 'orders/read'];
  input.frontOffice.products = Array.from({ length: count }, (_, i) => ({
    name: `product-${String(i + 1).padStart(3, '0')}`,
    owner: `team-${Math.floor(i / 10) + 1}@northwind.example`,
    costCentre: `CC-${5000 + Math.floor(i / 10)}`,
    monthlyBudgetUsd: 100 + (i % 7) * 25,
    components: { data: {} },
    consumes: scopes.slice(i % 3, (i % 3) + 1 + (i % 2)),
  }));
  return input as BlueprintInput;
}
