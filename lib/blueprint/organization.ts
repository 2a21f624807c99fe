import type { Blueprint, Organization } from './model';
import { SCPS_PER_TARGET } from './model';

/**
 * Where the organisation policies go (DEC-038). AWS Organizations is one per enterprise, its
 * policies are global, and an OU that got two copies of an SCP would count both against its
 * quota of five; so a set of OUs gets the Office Zones policies once:
 * - without `environments` (the quick start), the blueprint's `organization`, in its one
 *   organisation stack;
 * - with `environments`, an environment's own `environments[i].organization` in an organisation
 *   stack of its own, `<stackPrefix>-<environment>-Organization`; and the blueprint's
 *   `organization`, shared by every environment without its own, in one organisation stack for the
 *   enterprise, `<stackPrefix>-Organization`, built in the first of those environments' stages.
 */

/** The organisation stack a (per-environment) blueprint builds. */
export interface OrganizationPlacement {
  /** The OUs whose policies it attaches. */
  readonly organization: Organization;
  /**
   * True for the enterprise's stack of the blueprint's `organization`, which several
   * environments share: its stack and policy names carry the `stackPrefix` without an environment.
   */
  readonly shared: boolean;
  /**
   * The regions of the environments it serves, which its backup policy backs up; undefined
   * without `environments` (the stack's own region, the quick start's zones' region).
   */
  readonly regions?: readonly string[];
}

/**
 * The organisation stack this (per-environment) blueprint builds, or undefined when it builds
 * none: no OUs are named for it, or another environment (the first that shares the blueprint's
 * `organization`) builds the shared one.
 */
export function organizationPlacement(blueprint: Blueprint): OrganizationPlacement | undefined {
  const envs = blueprint.environments;
  if (!envs)
    return blueprint.organization && { organization: blueprint.organization, shared: false };
  const regionOf = (e: (typeof envs)[number]) => e.region ?? blueprint.region;
  const regions = (served: typeof envs) => [
    ...new Set(served.map(regionOf).filter((r): r is string => r !== undefined)),
  ];
  const env = envs.find((e) => e.name === blueprint.environment);
  if (env?.organization)
    return { organization: env.organization, shared: false, regions: regions([env]) };
  if (!blueprint.organization) return undefined;
  const sharing = envs.filter((e) => !e.organization);
  return sharing[0]?.name === blueprint.environment
    ? { organization: blueprint.organization, shared: true, regions: regions(sharing) }
    : undefined;
}

/**
 * Whether this (per-environment) blueprint builds the enterprise's one cost-management stack:
 * always without `environments`; with them, only in the first environment's stage, since a cost
 * category name and a cost-allocation tag are one per management account.
 */
export function buildsEnterpriseCostManagement(blueprint: Blueprint): boolean {
  return !blueprint.environments || blueprint.environments[0]?.name === blueprint.environment;
}

type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Loose) : {};
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** `organization.frontOfficeOuIds[0]`, as the blueprint's problems print a path. */
const pathText = (path: readonly (string | number)[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** The blueprint's OU lists, by the zone whose SCP each gets. */
const OU_LISTS = ['frontOfficeOuIds', 'backOfficeOuIds', 'integrationOuIds'] as const;

/**
 * The rules of `organization` and `environments[i].organization`, on the raw input, every
 * problem at once with its path:
 * - an OU is named once across every set of OUs the blueprint attaches policies to: it is in one
 *   zone, and receives the Office Zones policies once (a second copy would double its SCPs);
 * - an OU holds at most `SCPS_PER_TARGET` (5) SCPs attached directly: the ones already there
 *   (`existingScpsPerOu`, default 1 for AWS's FullAWSAccess) and Office Zones' own.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export function organizationProblems(
  input: unknown,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const root = obj(input);
  const envs = Array.isArray(root.environments) ? root.environments.map(obj) : undefined;
  const sets: { at: (string | number)[]; organization: Loose }[] = [];
  // The blueprint's own set counts when something attaches it: the quick start, or an
  // environment without its own.
  if (root.organization !== undefined && (!envs || envs.some((e) => e.organization === undefined)))
    sets.push({ at: ['organization'], organization: obj(root.organization) });
  envs?.forEach((env, i) => {
    if (env.organization !== undefined)
      sets.push({ at: ['environments', i, 'organization'], organization: obj(env.organization) });
  });

  const named = new Map<string, { path: (string | number)[]; count: number; existing: number }>();
  for (const { at, organization } of sets) {
    const existing =
      typeof organization.existingScpsPerOu === 'number' ? organization.existingScpsPerOu : 1;
    for (const list of OU_LISTS) {
      arr(organization[list]).forEach((ou, j) => {
        if (typeof ou !== 'string') return;
        const path = [...at, list, j];
        const first = named.get(ou);
        if (first) {
          first.count += 1;
          problems.push({
            path,
            message: `${ou} is already named at ${pathText(first.path)}: an OU is in one zone and receives the Office Zones policies once (a second copy would attach its SCPs twice); name it once, or give each environment its own OUs`,
          });
        } else named.set(ou, { path, count: 1, existing });
      });
    }
  }
  for (const [ou, { path, count, existing }] of named) {
    const total = existing + count;
    if (total > SCPS_PER_TARGET)
      problems.push({
        path,
        message: `${ou} would hold ${total} SCPs attached directly (${existing} already there, existingScpsPerOu, and ${count} of Office Zones'); AWS Organizations allows at most ${SCPS_PER_TARGET} per root, OU or account (quota "Maximum number of SCPs attached to a root, OU, or account", not adjustable): merge or detach SCPs on ${ou}, or name a child OU for Office Zones`,
      });
  }
  return problems;
}
