// Regenerates constructs/cost-attribution/tag-support.json from the installed aws-cdk-lib:
// `npm run tag-support`. A test fails when the file was made from another aws-cdk-lib version.
//
// For every CloudFormation resource type that aws-cdk-lib has an L1 class for, it builds one
// instance (required properties filled with placeholders) and asks CDK's own TagManager whether
// the type takes tags, in which property and in which shape. That is what `Tags.of()` does to an
// L1; the cost-tag aspect uses the table to do the same to raw `CfnResource`s, and the
// cost-attribution report to say which resources in a template can carry tags.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as cdk from 'aws-cdk-lib';
import { TAG_SUPPORT_FILE, TagFormat } from '../constructs/cost-attribution/tag-support';

process.env.JSII_DEPRECATED = 'quiet';

interface JsiiType {
  kind: string;
  docs?: { custom?: Record<string, string> };
  properties?: { name: string; optional?: boolean; type: JsiiTypeRef }[];
}
interface JsiiTypeRef {
  primitive?: string;
  collection?: { kind: 'array' | 'map' };
  union?: unknown;
  fqn?: string;
}

const libDir = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const version: string = JSON.parse(
  fs.readFileSync(path.join(libDir, 'package.json'), 'utf8'),
).version;
const assembly = JSON.parse(
  zlib.gunzipSync(fs.readFileSync(path.join(libDir, '.jsii.gz'))).toString(),
);
const types: Record<string, JsiiType> = assembly.types;

function placeholder(type: JsiiTypeRef): unknown {
  if (type.primitive === 'string' || type.union) return 'placeholder';
  if (type.primitive === 'number') return 1;
  if (type.primitive === 'boolean') return true;
  if (type.collection?.kind === 'array') return [];
  return {};
}

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Probe');
const taggable: Record<string, { property: string; format: TagFormat }> = {};
const notTaggable: string[] = [];
const failed: string[] = [];
let n = 0;

for (const [fqn, type] of Object.entries(types)) {
  const cfnType = type.docs?.custom?.cloudformationResource;
  if (type.kind !== 'class' || !cfnType) continue;
  const parts = fqn.split('.').slice(1);
  let cls: unknown = cdk;
  for (const part of parts) cls = (cls as Record<string, unknown> | undefined)?.[part];
  if (typeof cls !== 'function') {
    failed.push(`${fqn}: not exported`);
    continue;
  }
  const props: Record<string, unknown> = {};
  for (const p of types[`${fqn}Props`]?.properties ?? []) {
    if (!p.optional) props[p.name] = placeholder(p.type);
  }
  let resource: cdk.CfnResource;
  try {
    resource = new (cls as new (s: cdk.Stack, id: string, p: unknown) => cdk.CfnResource)(
      stack,
      `R${n++}`,
      props,
    );
  } catch (e) {
    failed.push(`${fqn}: ${(e as Error).message.split('\n')[0]}`);
    continue;
  }
  const manager = cdk.TagManager.of(resource);
  manager?.setTag('k', 'v');
  const rendered = manager?.renderTags();
  if (!manager || rendered === undefined) {
    notTaggable.push(cfnType);
    continue;
  }
  const format: TagFormat = Array.isArray(rendered)
    ? 'propagateAtLaunch' in rendered[0]
      ? 'autoscaling'
      : 'list'
    : 'map';
  const names = (resource as unknown as { cfnPropertyNames?: Record<string, string> })
    .cfnPropertyNames;
  const prop = manager.tagPropertyName;
  taggable[cfnType] = {
    property: names?.[prop] ?? prop[0].toUpperCase() + prop.slice(1),
    format,
  };
}

if (failed.length > 0) {
  console.error(`could not probe ${failed.length} L1 classes:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}

const sorted = <T>(o: Record<string, T>) =>
  Object.keys(o)
    .sort()
    .map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(o[k])}`);
const text = [
  '{',
  `  "source": ${JSON.stringify(`aws-cdk-lib ${version}`)},`,
  '  "taggable": {',
  sorted(taggable).join(',\n'),
  '  },',
  '  "notTaggable": [',
  [...new Set(notTaggable)]
    .sort()
    .map((t) => `    ${JSON.stringify(t)}`)
    .join(',\n'),
  '  ]',
  '}',
  '',
].join('\n');
const file = path.join(__dirname, '..', TAG_SUPPORT_FILE);
fs.writeFileSync(file, text);
console.log(
  `wrote ${path.relative(process.cwd(), file)}: ${Object.keys(taggable).length} taggable and ${new Set(notTaggable).size} untaggable resource types from aws-cdk-lib ${version}`,
);
