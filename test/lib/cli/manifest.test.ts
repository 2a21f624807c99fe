import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { brokerParameterNames } from '../../../lib/blueprint/names';
import {
  brokerManifest,
  decodeManifestPart,
  encodeManifestPart,
  joinBrokerManifest,
  splitBrokerManifest,
} from '../../../lib/contract/broker-manifest';
import { parseManifest } from '../../../lib/cli/manifest';
import { awsError, startAwsProxy, type AwsProxy } from './support/aws-proxy';
import {
  useTestCredentials,
  cli,
  REGION,
  referenceManifest,
  startBroker,
  type TestBroker,
} from './support/broker';

useTestCredentials();

let broker: TestBroker;
let proxy: AwsProxy | undefined;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(() => broker.close());
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/**
 * SSM's GetParameter and GetParametersByPath (one level, at most 10 a page, as SSM pages them),
 * as the deployed broker stack publishes its values, in front of cognito-local (one endpoint for
 * both services, as `--endpoint-url` gives it).
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
async function withParameters(parameters: Record<string, string>): Promise<AwsProxy> {
  proxy = await startAwsProxy(broker.endpoint, (call) => {
    if (call.service !== 'AmazonSSM') return 'forward';
    if (call.operation === 'GetParametersByPath') {
      const { Path: path, MaxResults: max = 10, NextToken: token } = call.input;
      if (max > 10) return awsError(400, 'ValidationException', 'MaxResults must be at most 10');
      const under = Object.keys(parameters)
        .filter((name) => name.startsWith(path) && !name.slice(path.length).includes('/'))
        .sort();
      const start = token ? Number(token) : 0;
      const page = under.slice(start, start + max);
      return {
        status: 200,
        body: {
          Parameters: page.map((Name) => ({
            Name,
            Type: 'String',
            Value: parameters[Name],
            Version: 1,
          })),
          ...(start + max < under.length ? { NextToken: String(start + max) } : {}),
        },
      };
    }
    if (call.operation !== 'GetParameter') return awsError(400, 'UnknownOperationException', '');
    const value = parameters[call.input.Name];
    return value === undefined
      ? awsError(400, 'ParameterNotFound', '')
      : {
          status: 200,
          body: { Parameter: { Name: call.input.Name, Type: 'String', Value: value, Version: 1 } },
        };
  });
  return proxy;
}

function writeManifest(name: string, data: unknown): string {
  const file = path.join(broker.dir, name);
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

const common = (endpoint = broker.endpoint) => ['--endpoint-url', endpoint, '--region', REGION];
/** The broker's REST API and onboarded partners' usage plan, for tests about other values. */
const apiFlags = () => ['--api-id', broker.apiId, '--usage-plan-id', broker.usagePlanId];

describe('the manifest', () => {
  test('reads what lib/contract/broker-manifest.ts writes, for the reference and a deployed broker', () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const synthesized = parseManifest(brokerManifest(blueprint), 'synth');
    expect(synthesized.consumers.map((c) => c.clientName)).toEqual([
      'product.web-shop',
      'product.loyalty',
      'partner.marketplace',
    ]);
    expect(synthesized.onboardedClientPrefix).toBe('onboarded.');
    const deployed = parseManifest(
      brokerManifest(blueprint, {
        userPoolId: 'eu-west-1_AbC123',
        tokenUrl: 'https://auth.example/oauth2/token',
        apiUrl: 'https://api.example/v1/',
        apiId: 'a1b2c3d4e5',
        onboardedUsagePlanId: 'plan01',
      }),
      'SSM',
    );
    expect(deployed.userPool.id).toBe('eu-west-1_AbC123');
  });

  test('keeps fields the broker adds later, so an older CLI reads a newer manifest', () => {
    const newer = { ...referenceManifest(), quotas: { clients: 1000 } };
    expect(parseManifest(newer, 'newer')).toMatchObject({ quotas: { clients: 1000 } });
  });

  test('fails when the default manifest is missing, saying to synthesize first', async () => {
    const run = await cli([...common(), '--user-pool-id', broker.poolId, 'audit'], {
      cwd: broker.dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: cannot read the broker manifest cdk.out/broker-manifest.json (no such file): run npx cdk synth first, or pass --manifest <file> or --manifest ssm:<parameter>\n',
    );
  });

  test('reads cdk.out/broker-manifest.json relative to the working directory by default', async () => {
    fs.mkdirSync(path.join(broker.dir, 'project', 'cdk.out'), { recursive: true });
    fs.copyFileSync(
      broker.manifestFile,
      path.join(broker.dir, 'project', 'cdk.out', 'broker-manifest.json'),
    );
    const run = await cli([...common(), ...apiFlags(), '--user-pool-id', broker.poolId, 'audit'], {
      cwd: path.join(broker.dir, 'project'),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  test('fails when the manifest is not JSON', async () => {
    const file = writeManifest('broken.json', '{"schemaVersion": 1,');
    const run = await cli([...common(), '--manifest', file, 'audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^office-zones: error: \S+broken\.json is not valid JSON: .+\n$/);
  });

  test('fails when the manifest has the wrong shape, listing every problem by path', async () => {
    const { consumers, ...rest } = referenceManifest();
    const file = writeManifest('wrong.json', {
      ...rest,
      schemaVersion: 2,
      scopes: [{ scope: 7 }],
      consumers: consumers.map((c, i) => (i === 1 ? { ...c, kind: 'robot' } : c)),
    });
    const run = await cli([...common(), '--manifest', file, 'audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `office-zones: error: ${file} is not an Office Zones broker manifest (3 problems): ` +
        'schemaVersion: must be 1 (received: 2); scopes[0].scope: must be a string (received: 7); ' +
        'consumers[1].kind: must be "product" or "partner" (received: "robot")\n',
    );
  });

  test('reads the manifest the deployed broker publishes in SSM with --manifest ssm:<name>', async () => {
    const published = brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT), {
      userPoolId: broker.poolId,
      tokenUrl: 'https://northwind.auth.example/oauth2/token',
      apiUrl: 'https://api.example/v1/',
      apiId: broker.apiId,
      onboardedUsagePlanId: broker.usagePlanId,
    });
    const name = '/office-zones/OfficeZones/dev/broker/manifest';
    const p = await withParameters({ [name]: JSON.stringify(published) });
    const run = await cli([...common(p.endpoint), '--manifest', `ssm:${name}`, 'audit']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(p.calls.find((c) => c.service === 'AmazonSSM')?.input).toEqual({ Name: name });
  });

  test('reads the manifest the broker and its consumer stacks publish in parts, page by page', async () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const whole = brokerManifest(blueprint, {
      userPoolId: broker.poolId,
      tokenUrl: 'https://northwind.auth.example/oauth2/token',
      apiUrl: 'https://api.example/v1/',
      apiId: broker.apiId,
      onboardedUsagePlanId: broker.usagePlanId,
    });
    // Twelve more partners: the consumers' parts take two pages.
    const extra = Array.from({ length: 12 }, (_, i) => ({
      clientName: `partner.p${String(i).padStart(2, '0')}`,
      kind: 'partner' as const,
      name: `p${i}`,
      owner: 'partners@northwind.example',
      scopes: ['catalog/read'],
    }));
    const names = brokerParameterNames(blueprint);
    const parts = splitBrokerManifest(
      { ...whole, consumers: [...whole.consumers, ...extra] },
      {
        capabilitiesPath: names.manifestCapabilitiesPath,
        consumersPath: names.manifestConsumersPath,
      },
    );
    const p = await withParameters({
      [names.manifest]: JSON.stringify(parts.shared),
      ...Object.fromEntries(
        parts.capabilities.map((c) => [
          `${names.manifestCapabilitiesPath}${c.capability}`,
          JSON.stringify(c),
        ]),
      ),
      ...Object.fromEntries(
        parts.consumers.map((c) => [
          `${names.manifestConsumersPath}${c.clientName}`,
          JSON.stringify(c),
        ]),
      ),
    });
    const run = await cli([
      ...common(p.endpoint),
      '--manifest',
      `ssm:${names.manifest}`,
      'audit',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    const byPath = p.calls.filter((c) => c.operation === 'GetParametersByPath');
    expect(byPath.map((c) => [c.input.Path, c.input.NextToken ?? null])).toEqual(
      expect.arrayContaining([
        [names.manifestCapabilitiesPath, null],
        [names.manifestConsumersPath, null],
        [names.manifestConsumersPath, '10'],
      ]),
    );
    // Every declared consumer is audited: the manifest came back whole.
    const report = JSON.parse(run.stdout);
    expect(JSON.stringify(report)).toContain('partner.p11');
  });

  test('a part over 4 KB is published gzip-compressed, and reads back as it was', () => {
    const small = { capability: 'orders', scopes: [], routes: [] };
    expect(encodeManifestPart(small)).toBe(JSON.stringify(small));
    // A capability with large body schemas: 16 KB of JSON, as a review found one.
    const large = {
      capability: 'catalog',
      scopes: [],
      routes: Array.from({ length: 9 }, (_, i) => ({
        operation: `catalog.update${i}`,
        body: {
          type: 'object',
          properties: Object.fromEntries(
            Array.from({ length: 13 }, (_, f) => [
              `field${f}`,
              { type: 'string', maxLength: 64, description: `Field ${f} of update ${i}.` },
            ]),
          ),
        },
      })),
    };
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(8192);
    const encoded = encodeManifestPart(large);
    expect(Buffer.byteLength(encoded)).toBeLessThan(4096);
    expect(JSON.parse(encoded)).toEqual({ gzip: expect.any(String) });
    expect(decodeManifestPart(encoded)).toEqual(large);
    expect(() => decodeManifestPart('{"gzip":"bm90IGd6aXA="}')).toThrow(
      /its gzip value does not inflate/,
    );
  });

  test('joins what splitBrokerManifest splits into the manifest it was', () => {
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const whole = brokerManifest(blueprint);
    const parts = splitBrokerManifest(whole, { capabilitiesPath: '/c/', consumersPath: '/p/' });
    expect(parts.shared).not.toHaveProperty('consumers');
    const joined = joinBrokerManifest(
      parts.shared,
      [...parts.capabilities].reverse(),
      parts.consumers,
    );
    expect(joined).toEqual({
      ...whole,
      consumers: [...whole.consumers].sort((a, b) => a.clientName.localeCompare(b.clientName)),
    });
    expect(() => joinBrokerManifest(parts.shared, parts.capabilities.slice(1), [])).toThrow(
      'the broker manifest lists capabilities without a published part: orders',
    );
  });

  test('fails when the SSM manifest parameter does not exist', async () => {
    const p = await withParameters({});
    const run = await cli([...common(p.endpoint), '--manifest', 'ssm:/nope', 'audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: the SSM parameter /nope does not exist: is the broker deployed in this account and region? Pass --manifest <file> to use cdk.out instead\n',
    );
  });
});

describe('the user pool id', () => {
  test('comes from --user-pool-id before the manifest and SSM', async () => {
    const p = await withParameters({
      [referenceManifest().userPool.idParameter]: 'eu-west-1_Other',
    });
    const run = await cli([
      ...common(p.endpoint),
      ...apiFlags(),
      '--manifest',
      broker.manifestFile,
      '--user-pool-id',
      broker.poolId,
      'audit',
    ]);
    expect(run.code).toBe(0);
    expect(p.calls.filter((c) => c.service === 'AmazonSSM')).toHaveLength(0);
  });

  test("comes from the manifest's userPool.id when it has one", async () => {
    const deployed = brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT), {
      userPoolId: broker.poolId,
      tokenUrl: 'https://northwind.auth.example/oauth2/token',
      apiUrl: 'https://api.example/v1/',
      apiId: broker.apiId,
      onboardedUsagePlanId: broker.usagePlanId,
    });
    const p = await withParameters({});
    const file = writeManifest('deployed.json', deployed);
    const run = await cli([...common(p.endpoint), '--manifest', file, 'consumers', 'list']);
    expect(run.code).toBe(0);
    expect(p.calls.filter((c) => c.service === 'AmazonSSM')).toHaveLength(0);
  });

  test('comes from the SSM parameter the broker stack publishes when the manifest has none', async () => {
    const parameter = referenceManifest().userPool.idParameter;
    const p = await withParameters({ [parameter]: broker.poolId });
    const run = await cli([
      ...common(p.endpoint),
      ...apiFlags(),
      '--manifest',
      broker.manifestFile,
      'consumers',
      'onboard',
      'acme',
      '--scopes',
      'orders/read',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(p.calls.filter((c) => c.service === 'AmazonSSM').map((c) => c.input.Name)).toEqual([
      parameter,
    ]);
    expect(run.stdout).toContain('onboarded acme as app client onboarded.acme');
  });

  test('fails when it is nowhere, saying which flag to pass and which parameter was tried', async () => {
    const p = await withParameters({});
    const run = await cli([...common(p.endpoint), '--manifest', broker.manifestFile, 'audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'office-zones: error: no user pool id: pass --user-pool-id, or deploy the broker stack OfficeZones-dev-Broker, which publishes it in the SSM parameter /office-zones/OfficeZones/dev/broker/user-pool-id (not found)\n',
    );
  });

  test('fails when SSM cannot be read, still saying which flag to pass', async () => {
    const p = await withParameters({});
    await p.close();
    const run = await cli([
      ...common(p.endpoint),
      '--max-attempts',
      '1',
      '--manifest',
      broker.manifestFile,
      'audit',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^office-zones: error: no user pool id: pass --user-pool-id \(reading the SSM parameter \S+ failed: lost the connection to the ssm endpoint at \S+ during GetParameter \(ECONNREFUSED\)\)\n$/,
    );
  });
});

describe('the REST API id and the usage plan for onboarded partners', () => {
  const names = referenceManifest().api;
  const onboard = (endpoint: string, ...args: string[]) =>
    cli([
      ...common(endpoint),
      '--user-pool-id',
      broker.poolId,
      ...args,
      'consumers',
      'onboard',
      'apex',
      '--scopes',
      'orders/read',
    ]);
  afterEach(() => cli([...broker.args(), 'consumers', 'revoke', 'apex']));

  test('come from the SSM parameters the broker stack publishes when the manifest has none', async () => {
    const p = await withParameters({
      [names.idParameter]: broker.apiId,
      [names.onboardedUsagePlanIdParameter]: broker.usagePlanId,
    });
    const run = await onboard(p.endpoint, '--manifest', broker.manifestFile);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`in usage plan ${broker.usagePlanId}\n`);
    expect(p.calls.filter((c) => c.service === 'AmazonSSM').map((c) => c.input.Name)).toEqual([
      names.idParameter,
      names.onboardedUsagePlanIdParameter,
    ]);
  });

  test("come from the manifest's api.id and api.onboardedUsagePlanId, after the flags", async () => {
    const deployed = brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT), {
      userPoolId: broker.poolId,
      tokenUrl: 'https://northwind.auth.example/oauth2/token',
      apiUrl: 'https://api.example/v1/',
      apiId: broker.apiId,
      onboardedUsagePlanId: broker.partnerPlanId,
    });
    const file = writeManifest('deployed-api.json', deployed);
    const p = await withParameters({});
    // The flag wins over the manifest: the plan of onboarded partners, not the partner's own.
    const run = await onboard(
      p.endpoint,
      '--manifest',
      file,
      '--usage-plan-id',
      broker.usagePlanId,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`in usage plan ${broker.usagePlanId}\n`);
    expect(p.calls.filter((c) => c.service === 'AmazonSSM')).toHaveLength(0);
    // The API URL of the deployed manifest is delivered with the credentials.
    expect(run.stdout).toContain('api_url:       https://api.example/v1/\n');
  });

  test('fails when the REST API id is nowhere, naming the flag and the parameter tried', async () => {
    const p = await withParameters({});
    const run = await onboard(p.endpoint, '--manifest', broker.manifestFile);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `office-zones: error: no REST API id: pass --api-id, or deploy the broker stack OfficeZones-dev-Broker, which publishes it in the SSM parameter ${names.idParameter} (not found)\n`,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.apex');
  });

  test('fails when the usage plan is nowhere, before creating anything', async () => {
    const p = await withParameters({ [names.idParameter]: broker.apiId });
    const run = await onboard(p.endpoint, '--manifest', broker.manifestFile);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `office-zones: error: no usage plan for onboarded partners: pass --usage-plan-id, or deploy the broker stack OfficeZones-dev-Broker, which publishes it in the SSM parameter ${names.onboardedUsagePlanIdParameter} (not found)\n`,
    );
    expect(await broker.clientNames()).not.toContain('onboarded.apex');
  });

  test('fails when the manifest predates them, asking for the flags', async () => {
    const older: any = referenceManifest();
    older.api = { stage: 'v1', url: null, urlParameter: names.urlParameter };
    const file = writeManifest('older.json', older);
    const run = await onboard(broker.endpoint, '--manifest', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `office-zones: error: no REST API id: pass --api-id (the manifest ${file} does not say where the broker publishes it: synthesize it with this version of Office Zones)\n`,
    );
    const flagged = await onboard(
      broker.endpoint,
      '--manifest',
      file,
      '--api-id',
      broker.apiId,
      '--usage-plan-id',
      broker.usagePlanId,
    );
    expect(flagged.code).toBe(0);
  });
});
