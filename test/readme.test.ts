import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundledEntry } from '../bin/app-bundle';
import { CDK_CONTEXT } from './helpers';

const root = path.join(__dirname, '..');

/** The TypeScript programs of a README section, in order. */
function programsOf(section: string): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end);
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs a README program as a consumer's app would, with 'office-zones' being this checkout. */
async function run(program: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-readme-'));
  const file = path.join(dir, 'app.ts');
  // The app's own aws-cdk-lib, the one the package takes as a peer.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(
    file,
    program.replace(/from 'office-zones'/g, `from ${JSON.stringify(path.join(root, 'index'))}`),
  );
  const outdir = path.join(dir, 'cdk.out');
  // Bundled as the repository's own app is (bin/app-bundle.js), in a cache of its own folder.
  const { file: bundle } = await bundledEntry(file, { cacheDir: path.join(dir, '.bundle') });
  const result = spawnSync(process.execPath, ['--enable-source-maps', bundle], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] }),
      CDK_VALIDATION: 'false',
    },
  });
  const files = fs.existsSync(outdir) ? fs.readdirSync(outdir) : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...result, files };
}

describe('README, "Use as a library"', () => {
  const programs = programsOf('Use as a library');

  test('has the two programs it describes', () => {
    expect(programs).toHaveLength(2);
  });

  test('places a BackOfficeZone in a stack of its own', async () => {
    const { status, stderr, files } = await run(programs[0]!);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(files).toContain('Ledgers.template.json');
  });

  test('synthesizes a whole enterprise through the gate and writes the reports', async () => {
    const { status, stderr, stdout, files } = await run(programs[1]!);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^10 stacks and \d+ reports in /);
    expect(files).toEqual(
      expect.arrayContaining(['Contoso-dev-Broker.template.json', 'security-report.md']),
    );
  });
});
