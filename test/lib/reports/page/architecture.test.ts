import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../../lib/blueprint';
import {
  architecturePictures,
  ArchitecturePicture,
  CONSUMERS_PER_PICTURE,
} from '../../../../lib/reports/page/architecture';
import { pageModel } from '../../../../lib/reports/page/model';
import { manyProductsInput } from '../../../support/many-products';

function modelOf(input: unknown) {
  return pageModel({
    blueprint: parseBlueprint(input),
    rows: [],
    security: { validated: false, packs: [] },
    accessPaths: { state: 'absent' },
  });
}

/** Node ids and edges (from, to) of a picture's DOT source. */
function graphOf(picture: ArchitecturePicture) {
  const nodes = [...picture.dot.matchAll(/^"([^"]+)" \[id="[^"]+", class="([^"]+)"/gm)].map(
    (m) => ({ id: m[1], cls: m[2] }),
  );
  const edges = [
    ...picture.dot.matchAll(/^"([^"]+)" -> "([^"]+)" \[id="[^"]+", class="([^"]+)"/gm),
  ].map((m) => ({ from: m[1], to: m[2], cls: m[3] }));
  return { nodes, edges };
}

describe('architecturePictures', () => {
  test('draws the reference in one picture: every consumer, scope and capability, arrows only through the broker', () => {
    const pictures = architecturePictures(modelOf(REFERENCE_BLUEPRINT));
    expect(pictures.map((p) => p.id)).toEqual(['whole']);
    const { nodes, edges } = graphOf(pictures[0]);
    expect(nodes.map((n) => n.id).sort()).toEqual([
      'whole-capability-catalog',
      'whole-capability-orders',
      'whole-partner-marketplace',
      'whole-product-loyalty',
      'whole-product-web-shop',
      'whole-scope-catalog/read',
      'whole-scope-orders/read',
      'whole-scope-orders/write',
    ]);
    expect(
      edges
        .filter((e) => e.cls === 'oz-consumes')
        .map((e) => `${e.from} -> ${e.to}`)
        .sort(),
    ).toEqual([
      'whole-partner-marketplace -> whole-scope-catalog/read',
      'whole-product-loyalty -> whole-scope-orders/read',
      'whole-product-web-shop -> whole-scope-catalog/read',
      'whole-product-web-shop -> whole-scope-orders/read',
      'whole-product-web-shop -> whole-scope-orders/write',
    ]);
    // Consumers point at scopes only; only scopes point at capabilities.
    expect(
      edges.filter((e) => !e.to.includes('-scope-') && !e.to.includes('-capability-')),
    ).toEqual([]);
    expect(
      edges.filter((e) => e.to.includes('-capability-') && !e.from.includes('-scope-')),
    ).toEqual([]);
    for (const zone of ['front-office', 'integration', 'back-office']) {
      expect(pictures[0].dot).toContain(
        `id="whole-zone-${zone}"; class="oz-zone oz-zone-${zone}";`,
      );
    }
  });

  test('labels each box with its owner and cost centre, and describes the picture in words', () => {
    const [picture] = architecturePictures(modelOf(REFERENCE_BLUEPRINT));
    expect(picture.dot).toContain(
      'label="web-shop\\nweb-shop-team@northwind.example\\nCC-3100 · budget 800 USD/month"',
    );
    expect(picture.dot).toContain('label="orders\\norder-management@northwind.example\\nCC-1100"');
    expect(picture.dot).toContain(
      'label="Broker, the only door (integration)\\nit-integration@northwind.example · CC-2000"',
    );
    expect(picture.description).toContain(
      'Product web-shop (owner web-shop-team@northwind.example, cost centre CC-3100) consumes catalog/read, orders/write, orders/read.',
    );
    expect(picture.description).toContain(
      'Capability catalog (owner merchandising-systems@northwind.example, cost centre CC-1200) serves catalog/read.',
    );
  });

  describe('at 200 products', () => {
    const model = modelOf(manyProductsInput(200));
    const pictures = architecturePictures(model);
    const pages = pictures.slice(1);

    test('an overview with one box per cost centre, then pages of at most a dozen consumers', () => {
      expect(pictures[0].id).toBe('overview');
      const overview = graphOf(pictures[0]);
      expect(overview.nodes.filter((n) => n.cls === 'oz-group')).toHaveLength(21); // 20 cost centres + partners
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(201 / CONSUMERS_PER_PICTURE));
      for (const page of pages)
        expect(page.consumers.length).toBeLessThanOrEqual(CONSUMERS_PER_PICTURE);
    });

    test('draws every consumer exactly once and every scope it consumes', () => {
      const drawn = pages.flatMap((p) => p.consumers);
      expect(drawn).toHaveLength(201);
      expect(new Set(drawn).size).toBe(201);
      const consumes = pages.flatMap((p) =>
        graphOf(p)
          .edges.filter((e) => e.cls === 'oz-consumes')
          .map((e) => `${e.from.slice(p.id.length + 1)} -> ${e.to.slice(p.id.length + 1)}`),
      );
      const expected = model.consumers.flatMap((c) =>
        c.scopes.map((s) => `${c.kind}-${c.name} -> scope-${s}`),
      );
      expect(consumes.sort()).toEqual(expected.sort());
    });

    test('keeps a cost centre that fits on a page together', () => {
      for (const cc of ['CC-5000', 'CC-5007', 'CC-5019']) {
        const holding = pages.filter((p) => p.dot.includes(`Cost centre ${cc}"`));
        expect(holding).toHaveLength(1);
      }
    });
  });
});
