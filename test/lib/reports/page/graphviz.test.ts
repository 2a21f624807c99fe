import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LAYOUTS_KEPT, layoutSvg, layoutSvgAhead } from '../../../../lib/reports/page/graphviz';
import { projectCacheDir } from '../../../../constructs/shared/cache-dir';
import { withCachesOff } from '../../../helpers';

const DOT = 'digraph { a -> b }';

describe('Graphviz layouts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-graphviz-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Marks every kept layout, so that a layout read from the cache shows the mark. */
  const mark = () => {
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f);
      const kept = JSON.parse(fs.readFileSync(file, 'utf8'));
      const svgs = kept.svgs.map(() => '<svg>marked</svg>');
      fs.writeFileSync(file, JSON.stringify({ ...kept, svgs }));
    }
  };

  test('lays out each source as SVG, keeps it under its digest and reads it only for the same sources', () => {
    const sources = [DOT, 'digraph { c }'];
    const layout = layoutSvg(sources, dir);
    expect(layout.version).toMatch(/^\d+\.\d+/);
    expect(layout.svgs).toHaveLength(2);
    expect(layout.svgs[0]).toContain('<svg');
    expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    expect(layoutSvg(sources, dir)).toEqual(layout);
    mark();
    expect(layoutSvg(sources, dir).svgs).toEqual(['<svg>marked</svg>', '<svg>marked</svg>']);
    // Other sources are laid out; so is a layout cut short.
    expect(layoutSvg([DOT], dir).svgs[0]).toContain('<svg');
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"version":');
    expect(layoutSvg(sources, dir)).toEqual(layout);
    // So is a kept file of another shape.
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), 'null');
    expect(layoutSvg(sources, dir)).toEqual(layout);
  });

  test('keeps layouts in the project cache folder, and none when OFFICE_ZONES_CACHE=off', () => {
    const saved = process.cwd();
    process.chdir(dir); // the default folder is the working directory's project cache
    try {
      const defaultDir = projectCacheDir(dir, 'graphviz');
      withCachesOff(() => layoutSvg([DOT]));
      expect(fs.existsSync(defaultDir)).toBe(false);
      layoutSvg([DOT]);
      expect(fs.readdirSync(defaultDir)).toHaveLength(1);
    } finally {
      process.chdir(saved);
    }
  });

  test(`keeps the newest ${LAYOUTS_KEPT} layouts`, () => {
    const sources = Array.from({ length: LAYOUTS_KEPT + 2 }, (_, i) => `digraph { n${i} }`);
    // One call per source would start Graphviz each time; kept layouts are written the same way.
    for (const [i, dot] of sources.entries()) {
      const file = path.join(dir, `${String(i).padStart(64, '0')}.json`);
      fs.writeFileSync(file, JSON.stringify({ version: 'x', svgs: [dot] }));
      const t = new Date(Date.now() - (sources.length - i) * 1000);
      fs.utimesSync(file, t, t);
    }
    layoutSvg([DOT], dir);
    const left = fs.readdirSync(dir);
    expect(left).toHaveLength(LAYOUTS_KEPT);
    expect(left).not.toContain(`${String(0).padStart(64, '0')}.json`);
    expect(left).not.toContain(`${String(1).padStart(64, '0')}.json`);
    expect(left).not.toContain(`${String(2).padStart(64, '0')}.json`);
  });

  /** The Graphviz child processes `fn` starts (layoutSvg lays out in one when nothing was started ahead). */
  const childrenOf = <T>(fn: () => T): { result: T; children: number } => {
    // The CommonJS module object, whose spawnSync graphviz.ts calls (the namespace import is frozen).
    const spawn = jest.spyOn(
      require('node:child_process') as typeof import('node:child_process'),
      'spawnSync',
    );
    try {
      const result = fn();
      const children = spawn.mock.calls.filter(([, args]) =>
        (args ?? []).some((a) => a.endsWith('graphviz-layout.mjs')),
      ).length;
      return { result, children };
    } finally {
      spawn.mockRestore();
    }
  };

  test('takes the layout started ahead in a worker thread: the same SVGs, kept the same way, no child process', () => {
    const sources = [DOT, 'digraph { c -> d }'];
    const alone = childrenOf(() => layoutSvg(sources, false));
    expect(alone.children).toBe(1);
    expect(layoutSvgAhead(sources, dir)).toBe(true);
    expect(layoutSvgAhead(sources, dir)).toBe(false); // started already
    const taken = childrenOf(() => layoutSvg(sources, dir));
    expect(taken).toEqual({ result: alone.result, children: 0 });
    expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    // Kept: nothing starts, and the kept layout is read.
    expect(layoutSvgAhead(sources, dir)).toBe(false);
    expect(childrenOf(() => layoutSvg(sources, dir))).toEqual({
      result: alone.result,
      children: 0,
    });
    // A layout started ahead for other sources is not taken for these.
    expect(layoutSvgAhead(['digraph { e }'], false)).toBe(true);
    expect(childrenOf(() => layoutSvg([DOT], false)).children).toBe(1);
  });

  test('lays out itself, with the same error, when the layout started ahead fails', () => {
    const broken = ['digraph { a -> }'];
    const alone = (() => {
      try {
        layoutSvg(broken, false);
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(alone).toMatch(/^Graphviz could not lay out the architecture picture: .*syntax error/s);
    expect(layoutSvgAhead(broken, false)).toBe(true);
    const { children } = childrenOf(() => expect(() => layoutSvg(broken, false)).toThrow(alone));
    expect(children).toBe(1);
  });

  test('lays out itself, at once, when the worker started ahead ends without an answer or cannot load its script', () => {
    const sources = ['digraph { f -> g }'];
    const alone = layoutSvg(sources, false);
    const scripts = {
      'exits.mjs': 'process.exit(0);\n',
      'throws.mjs': "throw new Error('no Graphviz here');\n",
      'hangs-then-throws.mjs': "setTimeout(() => { throw new Error('late'); }, 50);\n",
    };
    for (const [name, text] of Object.entries(scripts)) {
      const script = path.join(dir, name);
      fs.writeFileSync(script, text);
      expect(layoutSvgAhead(sources, false, script)).toBe(true);
      const started = Date.now();
      const taken = childrenOf(() => layoutSvg(sources, false));
      // Not the five minutes layoutSvg would wait for an answer that cannot come.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(taken).toEqual({ result: alone, children: 1 });
    }
  });
});
