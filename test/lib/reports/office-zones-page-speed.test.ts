import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { measurePages, pageFor, withinBudget } from '../../support/page-speed';

// The same measure for 200 products is office-zones-page-speed.scale.test.ts (npm run test:scale).
describe('office-zones.html renders within its time budget', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-page-speed-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('for the reference, relative to a text page of the same size', async () => {
    const [reference] = await measurePages([
      { name: 'reference', file: pageFor(REFERENCE_BLUEPRINT, path.join(root, 'reference')) },
    ]);
    expect(reference.consoleErrors).toEqual([]);
    expect(withinBudget(reference)).toEqual({ ...withinBudget(reference), withinBudget: true });
  }, 120_000);
});
