import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessPathChecks } from '../../policies/access-paths/plugin';
import type { EngineLoader } from '../../policies/access-paths/engine';
import { BoundaryChecks } from '../../policies/boundary/pack';
import { RecordedAwsSolutionsChecks, RulesRun } from '../../policies/rules-run';
import { THIS_ACCOUNT, type Blueprint, zoneTargets } from '../blueprint';
import {
  integrationRoleName,
  maintainerRoleName,
  operatorRoleName,
  parameterRoot,
} from '../blueprint/names';
import { zoneOf } from './zones';
import { accessPathSettings } from './access-paths';

/** The packs registered on an app; after synth each tells which rules it ran. */
export interface SecurityChecks {
  readonly packs: readonly RulesRun[];
  /** The access-path evaluation; after synth it holds its report. */
  readonly accessPaths?: AccessPathChecks;
}

/** Options of the security gate. */
export interface SecurityCheckOptions {
  /**
   * Finds the IAM engine of the access-path evaluation (tests inject one that is "not installed").
   * @default - `@cloud-copilot/iam-simulate` when it is installed
   */
  readonly loadEngine?: EngineLoader;
  /**
   * Registers the access-path evaluation.
   * @default true
   */
  readonly accessPaths?: boolean;
}

/**
 * Registers the security gate on an app: cdk-nag's AwsSolutions pack and the Office Zones
 * boundary pack, which knows the zones from the stacks the blueprint built, and the access-path
 * evaluation. Any finding that is not acknowledged fails synth, and the report lands in
 * `cdk.out/validation-report.json`.
 */
export function registerSecurityChecks(
  app: IConstruct,
  blueprint: Blueprint,
  options: SecurityCheckOptions = {},
): SecurityChecks {
  const packs = registerSecurityPacks(app, [blueprint]);
  if (options.accessPaths === false) return { packs };
  return { packs, accessPaths: registerAccessPathChecks(app, blueprint, options) };
}

/**
 * Registers cdk-nag's AwsSolutions pack and the boundary pack once for a whole app: cdk-nag
 * packs visit every construct of the app whatever stage they are registered on, so a blueprint
 * with several environments registers them once (on the first environment's stage, which has
 * stacks, so that aws-cdk-lib invokes them) with what every environment's blueprint declares.
 */
export function registerSecurityPacks(
  scope: IConstruct,
  blueprints: readonly Blueprint[],
): RulesRun[] {
  const packs = [
    new RecordedAwsSolutionsChecks(scope, { verbose: true }),
    new BoundaryChecks(scope, boundaryProps(...blueprints)),
  ];
  Validations.of(scope).addPlugins(...packs);
  return packs;
}

/**
 * Registers the access-path evaluation of one environment on the stage that holds its stacks
 * (aws-cdk-lib gives a stage's plugin that stage's templates, each with its account and region).
 */
export function registerAccessPathChecks(
  scope: IConstruct,
  blueprint: Blueprint,
  options: Pick<SecurityCheckOptions, 'loadEngine'> = {},
): AccessPathChecks {
  const accessPaths = new AccessPathChecks({
    settings: accessPathSettings(blueprint),
    zoneOf,
    loadEngine: options.loadEngine,
  });
  Validations.of(scope).addPlugins(accessPaths);
  return accessPaths;
}

/** What the boundary pack needs from the blueprint (of every environment the app builds). */
export function boundaryProps(...blueprints: Blueprint[]) {
  const [blueprint] = blueprints;
  const contract = blueprint.costTags;
  const integrationAccounts: Record<string, string> = {};
  for (const b of blueprints) {
    const zones = zoneTargets(b);
    if (zones && zones.backOffice.account !== zones.integration.account)
      integrationAccounts[zones.backOffice.account] = zones.integration.account;
  }
  return {
    zoneOf,
    costTagKeys: [
      contract.zone.key,
      contract.costCentre.key,
      contract.owner.key,
      contract.product.key,
      contract.environment.key,
    ],
    integrationRoleNames: blueprints.flatMap((b) =>
      b.backOffice.capabilities.map((c) => integrationRoleName(b, c.name)),
    ),
    publishedParameterPrefixes: blueprints.map((b) => `${parameterRoot(b)}/broker/`),
    declaredAssumers: Object.assign({}, ...blueprints.map(declaredAssumers)) as Record<
      string,
      string[]
    >,
    integrationAccounts,
  };
}

/** The maintainers and operators the blueprint declares, by the name of the role they may assume. */
function declaredAssumers(blueprint: Blueprint): Record<string, string[]> {
  const arns = (principals: readonly string[]) =>
    principals
      .filter((p) => p !== THIS_ACCOUNT)
      .map((p) => (/^[0-9]{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p));
  const out: Record<string, string[]> = {};
  for (const capability of blueprint.backOffice.capabilities) {
    if (capability.maintainers)
      out[maintainerRoleName(blueprint, capability.name)] = arns(capability.maintainers);
  }
  if (blueprint.backOffice.operators)
    out[operatorRoleName(blueprint)] = arns(blueprint.backOffice.operators);
  return out;
}
