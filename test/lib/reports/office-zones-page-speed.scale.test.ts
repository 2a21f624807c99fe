import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measurePages, pageFor, withinBudget } from '../../support/page-speed';
import { manyProductsInput } from '../../support/many-products';

describe('office-zones.html renders within its time budget at scale', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-page-speed-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('for 200 products, relative to a text page of the same size, drawing every product', async () => {
    const [many] = await measurePages([
      { name: '200 products', file: pageFor(manyProductsInput(200), path.join(root, 'many')) },
    ]);
    expect(many.consoleErrors).toEqual([]);
    expect(withinBudget(many)).toEqual({ ...withinBudget(many), withinBudget: true });
    // The 200-product page draws every product: an overview and then pages of consumers.
    expect(many.facts.figures.length).toBeGreaterThan(17);
    const drawn = many.facts.figures.flatMap((f) =>
      f.nodes
        .filter((n) => n.classes.includes('oz-product'))
        .map((n) => n.id.replace(/^page-\d+-/, '')),
    );
    expect(new Set(drawn).size).toBe(200);
  }, 300_000);
});
