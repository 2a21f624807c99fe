import * as fs from 'node:fs';
import * as path from 'node:path';
import { handlerEntries } from '../../constructs/shared/handler-bundle';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the npm package', () => {
  test('is public, with compiled entry points and types in dist/', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  test('takes aws-cdk-lib and constructs from the app that installs it', () => {
    for (const name of ['aws-cdk-lib', 'constructs']) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.peerDependencies[name]).toBeDefined();
      expect(pkg.devDependencies[name]).toBeDefined();
    }
    // The minimum the consumer example is tested with (examples/consumer pins it exactly).
    const consumer = JSON.parse(
      fs.readFileSync(path.join(root, 'examples/consumer/package.json'), 'utf8'),
    );
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe(`^${consumer.dependencies['aws-cdk-lib']}`);
    expect(pkg.peerDependencies.constructs).toBe(`^${consumer.dependencies.constructs}`);
  });

  test('needs neither esbuild nor tsx, and never the AGPL simulator, at run time', () => {
    for (const name of ['esbuild', 'tsx', '@cloud-copilot/iam-simulate'])
      expect(pkg.dependencies[name]).toBeUndefined();
  });

  test('ships dist/ and no tests, CI scripts or sources', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/**/*.js', 'dist/**/*.d.ts']));
    expect(pkg.files.some((f: string) => /^(test|\.ci|scripts|lib|constructs)\b/.test(f))).toBe(
      false,
    );
  });

  test('carries the licence its package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(text).toContain('Apache License');
    expect(text).toContain('Version 2.0, January 2004');
  });

  test('prebundles every handler a construct deploys', () => {
    const used = new Set<string>();
    for (const file of fs.readdirSync(path.join(root, 'constructs'), {
      recursive: true,
      encoding: 'utf8',
    })) {
      if (!file.endsWith('.ts') || file.includes('handlers')) continue;
      const text = fs.readFileSync(path.join(root, 'constructs', file), 'utf8');
      for (const m of text.matchAll(/entry:\s*path\.join\(__dirname,\s*'handlers',\s*'([^']+)'\)/g))
        used.add(path.join(root, 'constructs', path.dirname(file), 'handlers', m[1]!));
    }
    expect(used.size).toBeGreaterThan(0);
    expect(handlerEntries(root)).toEqual([...used].sort());
  });
});
