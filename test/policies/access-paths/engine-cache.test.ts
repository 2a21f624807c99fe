import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_SWITCH } from '../../../constructs/shared/cache-dir';
import {
  defaultEngineCacheDir,
  engineDigest,
  openEngineCache,
  pruneOtherEngines,
  SHARD_LIMIT,
} from '../../../policies/access-paths/engine-cache';
import {
  ENGINE_PACKAGE,
  runInChild,
  type EngineResult,
} from '../../../policies/access-paths/engine';
import { allowAll, queueRequest } from './support';
import { withCachesOff } from '../../helpers';

const RUNNER = path.join(__dirname, '../../../policies/access-paths/engine-runner.js');
const entry = require.resolve(ENGINE_PACKAGE);

const request = (role: string, action: string, granted: string) =>
  queueRequest(role, action, allowAll(granted));

const decisions = (answers: EngineResult[]) => answers.map((a) => a.decision);
const entries = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => Object.keys(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));

/** Marks every kept answer: a request answered from the cache shows the mark. */
function mark(dir: string) {
  for (const shard of fs.readdirSync(dir)) {
    const file = path.join(dir, shard);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const key of Object.keys(stored)) stored[key] = { ...stored[key], reasons: ['marked'] };
    fs.writeFileSync(file, JSON.stringify(stored));
  }
}

describe('the engine cache', () => {
  let dir: string;
  const digest = engineDigest(entry, RUNNER);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-engine-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps one answer per distinct request, equal to the engine answer without a cache', () => {
    const requests = [
      request('a', 'sqs:SendMessage', 'sqs:SendMessage'),
      request('b', 'sqs:SendMessage', 'sqs:ReceiveMessage'),
      request('a', 'sqs:SendMessage', 'sqs:SendMessage'),
    ];
    const cold = runInChild(entry, requests, openEngineCache(dir, digest));
    expect(decisions(cold)).toEqual(['Allowed', 'ImplicitlyDenied', 'Allowed']);
    expect(entries(dir)).toHaveLength(2);
    expect(runInChild(entry, requests)).toEqual(cold);
    expect(runInChild(entry, requests, openEngineCache(dir, digest))).toEqual(cold);
  });

  it('answers a request from the cache only when not one byte of what decides it has changed', () => {
    const kept = request('a', 'sqs:SendMessage', 'sqs:SendMessage');
    runInChild(entry, [kept], openEngineCache(dir, digest));
    mark(dir);

    const again = runInChild(entry, [kept], openEngineCache(dir, digest));
    expect(again[0].reasons).toEqual(['marked']);
    // Another principal, action, policy document, context value or engine: the engine answers.
    const changed = [
      request('b', 'sqs:SendMessage', 'sqs:SendMessage'),
      request('a', 'sqs:ReceiveMessage', 'sqs:SendMessage'),
      request('a', 'sqs:SendMessage', 'sqs:Send*'),
    ];
    const context = request('a', 'sqs:SendMessage', 'sqs:SendMessage');
    (context.simulation as any).request.contextVariables['aws:SecureTransport'] = 'false';
    for (const r of [...changed, context])
      expect(runInChild(entry, [r], openEngineCache(dir, digest))[0].reasons).not.toEqual([
        'marked',
      ]);
    expect(
      runInChild(entry, [kept], openEngineCache(dir, `${digest}-other`))[0].reasons,
    ).not.toEqual(['marked']);
  });

  it('keeps the key of a request when another request of the synth brings new policies (adding a product)', () => {
    const kept = request('a', 'sqs:SendMessage', 'sqs:SendMessage');
    runInChild(entry, [kept], openEngineCache(dir, digest));
    expect(entries(dir)).toHaveLength(1);
    mark(dir);
    // A new request first, with a policy document of its own: `kept`'s policies move in the
    // packed table, and its answer still comes from the cache.
    const added = request('new', 'sqs:ReceiveMessage', 'sqs:ReceiveMessage');
    const answers = runInChild(entry, [added, kept], openEngineCache(dir, digest));
    expect(answers[0].reasons).not.toEqual(['marked']);
    expect(answers[1].reasons).toEqual(['marked']);
    expect(entries(dir)).toHaveLength(2);
  });

  it('reads an entry of any other shape as a miss', () => {
    const cache = openEngineCache(dir, digest)!;
    const key = 'cd'.repeat(32);
    fs.writeFileSync(path.join(dir, 'cd.json'), JSON.stringify({ [key]: null }));
    expect(cache.get([key])).toEqual([undefined]);
    fs.writeFileSync(path.join(dir, 'cd.json'), JSON.stringify({ [key]: { decision: 'Allowed' } }));
    expect(cache.get([key])).toEqual([undefined]);
  });

  it('removes the folders of other engines beside its own, and nothing else', () => {
    const root = path.join(dir, 'access-paths');
    for (const name of ['0123456789abcdef', 'fedcba9876543210', 'notes'])
      fs.mkdirSync(path.join(root, name), { recursive: true });
    pruneOtherEngines(path.join(root, '0123456789abcdef'));
    expect(fs.readdirSync(root).sort()).toEqual(['0123456789abcdef', 'notes']);
    // Outside an access-paths folder (a temporary folder, say), nothing is removed.
    fs.mkdirSync(path.join(dir, 'aaaaaaaaaaaaaaaa'));
    pruneOtherEngines(path.join(dir, '0123456789abcdef'));
    expect(fs.existsSync(path.join(dir, 'aaaaaaaaaaaaaaaa'))).toBe(true);
  });

  it('keeps no answer the engine gave as an error', () => {
    const invalid = request('a', 'sqs:NoSuchAction', 'sqs:SendMessage');
    const [answer] = runInChild(entry, [invalid], openEngineCache(dir, digest));
    expect(answer.error).toMatch(/.+/);
    expect(fs.existsSync(dir) ? entries(dir) : []).toEqual([]);
  });

  it('reads a shard cut short by a crash as a miss and writes it anew', () => {
    const cache = openEngineCache(dir, digest)!;
    const key = 'ab'.repeat(32);
    fs.writeFileSync(path.join(dir, 'ab.json'), '{"abab');
    expect(cache.get([key])).toEqual([undefined]);
    cache.put([[key, { decision: 'Allowed', reasons: [] }]]);
    expect(cache.get([key])).toEqual([{ decision: 'Allowed', reasons: [] }]);
  });

  it(`keeps the newest ${SHARD_LIMIT} answers of a shard`, () => {
    const cache = openEngineCache(dir, digest)!;
    const keys = Array.from(
      { length: SHARD_LIMIT + 10 },
      (_, i) => `00${String(i).padStart(62, '0')}`,
    );
    for (const key of keys) cache.put([[key, { decision: 'Allowed', reasons: [] }]]);
    expect(entries(dir)).toEqual(keys.slice(10));
  });

  it(`is off when ${CACHE_SWITCH}=off`, () => {
    withCachesOff(() => expect(openEngineCache(dir, digest)).toBeUndefined());
    expect(openEngineCache(dir, digest)).toBeDefined();
  });

  it('changes its digest with the runner or any @cloud-copilot package version', () => {
    const root = path.join(dir, 'project');
    const pkg = (name: string, version: string) => {
      const at = path.join(root, 'node_modules', '@cloud-copilot', name);
      fs.mkdirSync(at, { recursive: true });
      fs.writeFileSync(path.join(at, 'package.json'), JSON.stringify({ name, version }));
      return at;
    };
    const engine = path.join(pkg('iam-simulate', '1.0.0'), 'index.js');
    pkg('iam-data', '1.0.0');
    const runner = path.join(dir, 'runner.js');
    fs.writeFileSync(runner, '// one');
    const first = engineDigest(engine, runner);
    pkg('iam-data', '1.0.1');
    const second = engineDigest(engine, runner);
    fs.writeFileSync(runner, '// two');
    expect(new Set([first, second, engineDigest(engine, runner)]).size).toBe(3);
    expect(defaultEngineCacheDir(root, first)).toBe(
      path.join(root, 'node_modules', '.cache', 'office-zones', 'access-paths', first.slice(0, 16)),
    );
  });
});
