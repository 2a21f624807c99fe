import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAccessPaths } from '../../../../lib/reports/page/access-paths';

const FIXTURE = path.join(__dirname, 'fixtures', 'access-paths.json');

describe('readAccessPaths', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-access-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is absent when the cloud assembly has no access-paths.json', () => {
    expect(readAccessPaths(dir)).toEqual({ state: 'absent' });
  });

  test('reads the shared format, extra fields included', () => {
    fs.copyFileSync(FIXTURE, path.join(dir, 'access-paths.json'));
    const read = readAccessPaths(dir);
    expect(read.state).toBe('read');
    if (read.state !== 'read') return;
    expect(read.report.summary).toEqual({ total: 2, passed: 1, failed: 1 });
    expect(read.report.paths.map((p) => [p.id, p.decision, p.pass])).toEqual([
      ['run.api-gateway.orders.send-intake', 'Allowed', true],
      ['run.product.web-shop.read-ledger', 'Allowed', false],
    ]);
    expect(read.report.paths[0]).toMatchObject({ extra: 'extra fields are kept' });
  });

  test('fails when a path lacks its decision, naming the field', () => {
    const json = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    delete json.paths[1].decision;
    fs.writeFileSync(path.join(dir, 'access-paths.json'), JSON.stringify(json));
    expect(readAccessPaths(dir)).toEqual({
      state: 'unreadable',
      problem: expect.stringContaining('paths.1.decision'),
    });
  });

  test('fails when the file is not JSON', () => {
    fs.writeFileSync(path.join(dir, 'access-paths.json'), '{ not json');
    expect(readAccessPaths(dir).state).toBe('unreadable');
  });
});
