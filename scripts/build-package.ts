// Builds the npm package into dist/: compiled JavaScript with declarations (tsconfig.build.json),
// the JSON files the code reads at run time, and every Lambda handler bundled with esbuild, so a
// consumer needs neither esbuild nor tsx. Run by `npm run build` (and `npm pack` through prepack).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  bundleHandlers,
  esbuildTarget,
  handlerEntries,
  prebundledDir,
} from '../constructs/shared/handler-bundle';

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// JSON the code reads with fs at run time (policies, the tag table, the blueprint schema), and the
// plain JavaScript it runs in child processes (the graph layout, the IAM engine's runner).
for (const dir of ['policies', 'constructs', 'lib']) {
  for (const file of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
    if (!/\.(json|js|mjs|cjs)$/.test(file)) continue;
    const target = path.join(dist, dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, dir, file), target);
  }
}

// Every handler in one esbuild run (each bundle the same as made alone).
const bundles = handlerEntries(root).map((entry) => ({
  entry,
  outdir: prebundledDir(path.join(dist, path.relative(root, entry))),
}));
bundleHandlers(bundles, { target: esbuildTarget(lambda.Runtime.NODEJS_LATEST.name) });
for (const { entry, outdir } of bundles)
  process.stdout.write(`bundled ${path.relative(root, entry)} -> ${path.relative(root, outdir)}\n`);
