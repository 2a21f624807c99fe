import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { tagSupport } from '../../../constructs/cost-attribution/tag-support';
import { loadBlueprintFile, parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { buildOfficeZones } from '../../../lib/stacks/office-zones';
import {
  UNTAGGABLE_ATTRIBUTION,
  untaggableAttribution,
} from '../../../lib/reports/untaggable-attribution';
import { CDK_CONTEXT } from '../../helpers';

/** No asset bundling, as in `testApp()`: these tests read templates. */
const TEST_CONTEXT = { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] };

/** Every resource type in the templates of an app built from a blueprint. */
function typesBuiltBy(blueprint: ReturnType<typeof parseBlueprint>): Set<string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-types-'));
  try {
    const app = new App({ outdir, context: TEST_CONTEXT });
    buildOfficeZones(app, blueprint);
    const assembly = app.synth();
    return new Set(
      assembly.stacksRecursively.flatMap((s) =>
        Object.values<any>(s.template.Resources).map((r) => r.Type),
      ),
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the attribution table of resources that cannot carry tags', () => {
  test('covers every untaggable type the reference and example blueprints build', () => {
    const types = new Set([
      ...typesBuiltBy(parseBlueprint(REFERENCE_BLUEPRINT)),
      ...typesBuiltBy(
        loadBlueprintFile(path.join(__dirname, '../../../examples/blueprints/bakery.yaml')),
      ),
    ]);
    const untaggable = [...types].filter((t) => !tagSupport(t));
    expect(untaggable.length).toBeGreaterThan(15);
    expect(untaggable.filter((t) => !untaggableAttribution(t))).toEqual([]);
  });

  test('lists only types that really cannot carry tags in a template', () => {
    const taggable = Object.keys(UNTAGGABLE_ATTRIBUTION).filter((t) => tagSupport(t));
    expect(taggable).toEqual([]);
  });

  test('bills each part on a parent type that carries tags, through a property that names it', () => {
    const wrong = Object.entries(UNTAGGABLE_ATTRIBUTION)
      .filter(([, a]) => a.kind === 'billed-through')
      .filter(
        ([, a]) => a.kind === 'billed-through' && (!tagSupport(a.parent) || a.via.length === 0),
      )
      .map(([type]) => type);
    expect(wrong).toEqual([]);
  });

  test('answers for every custom resource type', () => {
    expect(untaggableAttribution('Custom::AnythingAtAll')).toEqual(
      UNTAGGABLE_ATTRIBUTION['Custom::*'],
    );
    expect(untaggableAttribution('AWS::Not::Listed')).toBeUndefined();
  });
});
