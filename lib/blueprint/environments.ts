import type { Blueprint, DeploymentEnvironment, EnvironmentAccounts, Zone } from './model';

/**
 * Environments and accounts (DEC-035): a blueprint builds either one environment-agnostic
 * environment (`environment`, the quick start) or every environment it declares
 * (`environments`), each zone in its own account. These functions are the one place the rest of
 * Office Zones learns where a stack goes.
 */

/**
 * Regions where Amazon Cognito user pools, which the broker needs, are not offered: in the China
 * partition Cognito runs in Beijing only, without user pools.
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/cognito.html
 */
export const REGIONS_WITHOUT_COGNITO_USER_POOLS: readonly string[] = [
  'cn-north-1',
  'cn-northwest-1',
];

/**
 * One blueprint per environment the blueprint builds, each with its `environment` and `region`
 * set: the blueprint itself when it declares no `environments`.
 */
export function environmentBlueprints(blueprint: Blueprint): Blueprint[] {
  if (!blueprint.environments) return [blueprint];
  return blueprint.environments.map((env) => ({
    ...blueprint,
    environment: env.name,
    region: env.region ?? blueprint.region,
    // A Cognito domain prefix is unique in its region across AWS: one per environment.
    broker: { ...blueprint.broker, domainPrefix: environmentDomainPrefix(blueprint, env.name) },
  }));
}

/**
 * The Cognito domain prefix of an environment: the blueprint's `broker.domainPrefix` without
 * `environments`, else `<domainPrefix>-<environment>`, since a prefix is unique per region across
 * all of AWS and two environments may share a region.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 */
export function environmentDomainPrefix(
  blueprint: Pick<Blueprint, 'broker' | 'environments'>,
  environment: string,
): string {
  return blueprint.environments
    ? `${blueprint.broker.domainPrefix}-${environment}`
    : blueprint.broker.domainPrefix;
}

/** The declared environment a (per-environment) blueprint builds; undefined without `environments`. */
export function deploymentEnvironment(
  blueprint: Pick<Blueprint, 'environment' | 'environments'>,
): DeploymentEnvironment | undefined {
  return blueprint.environments?.find((e) => e.name === blueprint.environment);
}

/** Whether the delivery pipeline waits for a person before it deploys an environment. */
export function requiresApproval(env: Pick<DeploymentEnvironment, 'name' | 'approval'>): boolean {
  return env.approval ?? env.name === 'prod';
}

/** An account and region a stack is deployed to; undefined members leave the stack agnostic. */
export interface StackTarget {
  readonly account: string;
  readonly region: string;
}

/**
 * Where each zone of a (per-environment) blueprint is deployed, or undefined when the blueprint
 * declares no accounts (every stack environment-agnostic, in whatever account deploys it).
 */
export interface ZoneTargets {
  readonly backOffice: StackTarget;
  readonly integration: StackTarget;
  /** The front office's default account. */
  readonly frontOffice: StackTarget;
  /** The management account, in the region of the environment (cost management moves to Cost Explorer's). */
  readonly management?: StackTarget;
  /** Where one product runs: its own account, else the front office's. */
  product(name: string): StackTarget;
  /** Every distinct front-office account, the default first. */
  readonly frontOfficeAccounts: readonly string[];
}

/** The accounts and region of a (per-environment) blueprint's zones; undefined without `environments`. */
export function zoneTargets(blueprint: Blueprint): ZoneTargets | undefined {
  const env = deploymentEnvironment(blueprint);
  if (!env) return undefined;
  const region = env.region ?? blueprint.region;
  if (!region) throw new Error(`environment ${env.name} has no region`); // the rules refuse it
  const at = (account: string) => ({ account, region });
  const accounts: EnvironmentAccounts = env.accounts;
  return {
    backOffice: at(accounts.backOffice),
    integration: at(accounts.integration),
    frontOffice: at(accounts.frontOffice),
    ...(accounts.management ? { management: at(accounts.management) } : {}),
    product: (name) => at(accounts.products?.[name] ?? accounts.frontOffice),
    frontOfficeAccounts: [
      ...new Set([
        accounts.frontOffice,
        ...blueprint.frontOffice.products.map(
          (p) => accounts.products?.[p.name] ?? accounts.frontOffice,
        ),
      ]),
    ],
  };
}

type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Loose) : {};
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

const ZONE_KEYS = ['backOffice', 'integration', 'frontOffice'] as const;
const ZONE_OF_KEY: Record<(typeof ZONE_KEYS)[number], Zone> = {
  backOffice: 'back-office',
  integration: 'integration',
  frontOffice: 'front-office',
};

/**
 * The rules of `environment`, `environments`, `region` and `delivery` that span fields, on the
 * raw input (every access guarded), every problem at once:
 * - exactly one of `environment` and `environments`; environment names unique;
 * - every environment has a region (its own or the blueprint's), one where the broker's Cognito
 *   user pools exist;
 * - an account serves one environment (the management account, the organisation's, excepted):
 *   test data never shares an account with production;
 * - within an environment the front office shares no account with the back office or the
 *   integration zone (the account is the boundary), and the management account holds no zone;
 * - `accounts.products` names declared products; `management` is given when `costManagement` or
 *   `organization` needs it; `delivery` needs `environments`.
 */
export function environmentProblems(
  input: unknown,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const root = obj(input);
  const declared = root.environments !== undefined;
  if (root.environment === undefined && !declared)
    add(['environment'], 'is required: name the environment, e.g. dev (or declare environments)');
  // A parsed blueprint names its first environment in `environment`: parsing it again is fine.
  const first = str(obj(arr(root.environments)[0]).name);
  if (root.environment !== undefined && declared && root.environment !== first)
    add(
      ['environment'],
      'give environment (one environment-agnostic environment) or environments (each in its accounts), not both (a parsed blueprint may repeat the first environment here)',
    );
  if (root.delivery !== undefined && !declared)
    add(
      ['delivery'],
      'needs environments: the pipeline deploys each declared environment into its accounts',
    );
  if (!declared) return problems;

  const envs = arr(root.environments).map(obj);
  const products = new Set(
    arr(obj(root.frontOffice).products)
      .map((p) => str(obj(p).name))
      .filter((n): n is string => n !== undefined),
  );
  const needsManagement =
    root.costManagement !== undefined
      ? 'costManagement'
      : root.organization !== undefined
        ? 'organization'
        : undefined;
  /** account -> the first environment (index, name) that holds a zone in it. */
  const owner = new Map<string, { index: number; name: string }>();
  const names = new Map<string, number>();
  // One organisation, one management (payer) account: the enterprise's management stacks are
  // built once, in it (DEC-038).
  const managements = envs.map((env) => str(obj(env.accounts).management));
  const firstManagement = managements.findIndex((m) => m !== undefined);
  managements.forEach((m, i) => {
    if (m !== undefined && firstManagement >= 0 && m !== managements[firstManagement])
      add(
        ['environments', i, 'accounts', 'management'],
        `differs from environments[${firstManagement}]'s management account (${managements[firstManagement]}): the organisation has one management account, where the enterprise's cost management and organisation policies are built once`,
      );
  });
  envs.forEach((env, i) => {
    const at = ['environments', i];
    const name = str(env.name) ?? `#${i}`;
    const first = names.get(name);
    if (first !== undefined && str(env.name) !== undefined)
      add([...at, 'name'], `another environment has this name (environments[${first}])`);
    else names.set(name, i);

    const prefix = str(obj(root.broker).domainPrefix);
    if (prefix !== undefined && str(env.name) !== undefined && prefix.length + 1 + name.length > 63)
      add(
        ['broker', 'domainPrefix'],
        `with environment ${name} the Cognito domain prefix ${prefix}-${name} has ${prefix.length + 1 + name.length} characters; Cognito allows at most 63`,
      );
    const region = str(env.region) ?? str(root.region);
    if (region === undefined)
      add(
        [...at, 'region'],
        'is required: give the environment a region (or the blueprint a region for every environment)',
      );
    else if (REGIONS_WITHOUT_COGNITO_USER_POOLS.includes(region))
      add(
        [...at, env.region !== undefined ? 'region' : 'accounts'],
        `${region} has no Amazon Cognito user pools, which the broker's identity needs (with the Plus plan); choose a region that offers them`,
      );

    const accounts = obj(env.accounts);
    const zoneAccounts: { key: (string | number)[]; zone: Zone; account: string }[] = [];
    for (const key of ZONE_KEYS) {
      const a = str(accounts[key]);
      if (a !== undefined) zoneAccounts.push({ key: [key], zone: ZONE_OF_KEY[key], account: a });
    }
    for (const [product, a] of Object.entries(obj(accounts.products))) {
      if (!products.has(product))
        add(
          [...at, 'accounts', 'products', product],
          `is not a product of frontOffice.products (products: ${[...products].sort().join(', ') || 'none'})`,
        );
      if (typeof a === 'string')
        zoneAccounts.push({ key: ['products', product], zone: 'front-office', account: a });
    }
    // The account is the boundary between the zones.
    const frontAccounts = zoneAccounts.filter((z) => z.zone === 'front-office');
    for (const governed of zoneAccounts.filter((z) => z.zone !== 'front-office')) {
      for (const front of frontAccounts) {
        if (front.account === governed.account)
          add(
            [...at, 'accounts', ...front.key],
            `is the ${governed.zone === 'back-office' ? 'back office' : 'integration zone'}'s account too (${governed.account}): a front-office account must be separate from IT's zones, or the product teams' roles would share the account of ${governed.zone === 'back-office' ? 'the systems of record' : 'the broker and its credentials'}`,
          );
      }
    }
    const management = str(accounts.management);
    if (management !== undefined) {
      for (const z of zoneAccounts)
        if (z.account === management)
          add(
            [...at, 'accounts', 'management'],
            `is also the account of ${z.key.join('.')} (${management}): the management account runs no zone; AWS advises against workloads in it`,
          );
    } else if (needsManagement) {
      add(
        [...at, 'accounts', 'management'],
        `is required because the blueprint has ${needsManagement}, which deploys to the management account`,
      );
    }
    // One environment per account (the management account aside).
    for (const z of zoneAccounts) {
      const held = owner.get(z.account);
      if (held && held.index !== i)
        add(
          [...at, 'accounts', ...z.key],
          `${z.account} already holds environment ${held.name} (environments[${held.index}]): an account serves one environment, so ${name}'s data and permissions never mix with ${held.name}'s`,
        );
    }
    for (const z of zoneAccounts)
      if (!owner.has(z.account)) owner.set(z.account, { index: i, name });
  });
  // Every account is bootstrapped trusting the delivery account (`cdk bootstrap --trust`): its
  // principals may deploy anywhere. It holds no zone, no product and is not the management
  // account, or a product team (or a zone) would hold a second door into every account.
  const delivery = str(obj(root.delivery).account);
  if (delivery !== undefined) {
    const held = owner.get(delivery);
    if (held)
      add(
        ['delivery', 'account'],
        `${delivery} is an account of environment ${held.name} (environments[${held.index}]): every account trusts the delivery account to deploy, so it must be an account of its own (a tooling account), not a zone's or a product's`,
      );
    else if (managements.includes(delivery))
      add(
        ['delivery', 'account'],
        `${delivery} is the management account: every account trusts the delivery account to deploy, and AWS advises against workloads in the management account; use a tooling account`,
      );
  }
  return problems;
}
