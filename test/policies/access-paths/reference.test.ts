import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import {
  ENGINE_PACKAGE,
  loadIamSimulateInProcess,
  runInChild,
} from '../../../policies/access-paths/engine';
import { engineDigest, openEngineCache } from '../../../policies/access-paths/engine-cache';
import {
  type AccessPathPlan,
  evaluateAccessPathsAsync,
  planAccessPaths,
} from '../../../policies/access-paths/evaluate';
import { ACCESS_PATH_KINDS } from '../../../policies/access-paths/catalogue';
import type { AccessPathReport, AccessPathZone } from '../../../policies/access-paths/model';
import { describeFailure } from '../../../policies/access-paths/plugin';
import { loadBlueprintFile } from '../../../lib/blueprint';
import { accessPathSettings } from '../../../lib/stacks/access-paths';
import { zoneOf } from '../../../lib/stacks/zones';
import { buildReference, testApp } from '../../helpers';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import type { App } from 'aws-cdk-lib';
import { templatesOf } from './support';

/** The templates of a built app, each with its zone. */
function templatesOfApp(app: App) {
  const zones: Record<string, AccessPathZone | undefined> = {};
  for (const s of app.node.findAll().filter((c): c is Stack => Stack.isStack(c)))
    zones[s.stackName] = zoneOf(s);
  return templatesOf(app, zones);
}

describe.each([
  ['the reference blueprint', true, () => buildReference()],
  [
    'the bakery example',
    false,
    () => {
      const app = testApp();
      const blueprint = loadBlueprintFile(
        path.join(__dirname, '../../../examples/blueprints/bakery.yaml'),
      );
      return { app, blueprint, stacks: buildOfficeZones(app, blueprint) };
    },
  ],
])('access paths of %s', (_name, everyKind, build) => {
  let report: AccessPathReport;
  let plan: AccessPathPlan;
  beforeAll(async () => {
    const { app, blueprint } = build();
    const templates = templatesOfApp(app);
    plan = planAccessPaths(templates, accessPathSettings(blueprint));
    report = await evaluateAccessPathsAsync(
      templates,
      accessPathSettings(blueprint),
      loadIamSimulateInProcess(),
    );
  });

  // The reference is enough: this checks the cache, not the blueprint.
  if (everyKind)
    it('gets the same answers from the engine cache, cold and warm, as from the engine (DEC-039)', () => {
      const entry = require.resolve(ENGINE_PACKAGE);
      const digest = engineDigest(
        entry,
        require.resolve('../../../policies/access-paths/engine-runner.js'),
      );
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-engine-cache-'));
      try {
        const engine = runInChild(entry, plan.requests);
        const cold = runInChild(entry, plan.requests, openEngineCache(dir, digest));
        const warm = runInChild(entry, plan.requests, openEngineCache(dir, digest));
        expect(cold).toEqual(engine);
        expect(warm).toEqual(engine);
        expect(engine.filter((a) => a.error)).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

  it('allows every must-allow path and denies every must-deny path', () => {
    expect(report.paths.filter((p) => !p.pass).map(describeFailure)).toEqual([]);
  });

  it('evaluates every path, encryption-context conditions included', () => {
    expect(report.paths.filter((p) => p.decision === 'NotEvaluated').map((p) => p.id)).toEqual([]);
    expect(report.paths.some((p) => p.note)).toBe(true);
  });

  it('derives paths of every deploy and run-time kind, in both directions', () => {
    const kinds = new Set(report.paths.map((p) => p.kind));
    // The bakery's only product has no compute (no runtime reads credentials), and it declares no
    // operators or maintainers (no such roles).
    // AccountBoundary paths exist only when the zones are in several accounts (multi-account test).
    const absent = [
      'AccountBoundary',
      ...(everyKind ? [] : ['ProductCredentials', 'Operator', 'Maintainer']),
    ];
    const expected = ACCESS_PATH_KINDS.map((k) => k.name).filter((k) => !absent.includes(k));
    expect([...kinds].sort()).toEqual(expected.sort());
    expect(report.paths.some((p) => p.expect === 'deny')).toBe(true);
    expect(report.paths.filter((p) => p.phase === 'deploy').length).toBeGreaterThan(10);
  });
});
