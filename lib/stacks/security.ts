import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessPathChecks } from '../../policies/access-paths/plugin';
import type { EngineLoader } from '../../policies/access-paths/engine';
import { BoundaryChecks } from '../../policies/boundary/pack';
import { RecordedAwsSolutionsChecks, RulesRun } from '../../policies/rules-run';
import { THIS_ACCOUNT, type Blueprint } from '../blueprint';
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
 * boundary pack, which knows the zones from the stacks the blueprint built. Any finding that is
 * not acknowledged fails synth, and the report lands in `cdk.out/validation-report.json`.
 */
export function registerSecurityChecks(
  app: IConstruct,
  blueprint: Blueprint,
  options: SecurityCheckOptions = {},
): SecurityChecks {
  const packs = [
    new RecordedAwsSolutionsChecks(app, { verbose: true }),
    new BoundaryChecks(app, boundaryProps(blueprint)),
  ];
  Validations.of(app).addPlugins(...packs);
  if (options.accessPaths === false) return { packs };
  const accessPaths = new AccessPathChecks({
    settings: accessPathSettings(blueprint),
    zoneOf,
    loadEngine: options.loadEngine,
  });
  Validations.of(app).addPlugins(accessPaths);
  return { packs, accessPaths };
}

/** What the boundary pack needs from the blueprint. */
export function boundaryProps(blueprint: Blueprint) {
  const contract = blueprint.costTags;
  return {
    zoneOf,
    costTagKeys: [
      contract.zone.key,
      contract.costCentre.key,
      contract.owner.key,
      contract.product.key,
      contract.environment.key,
    ],
    integrationRoleNames: blueprint.backOffice.capabilities.map((c) =>
      integrationRoleName(blueprint, c.name),
    ),
    publishedParameterPrefixes: [`${parameterRoot(blueprint)}/broker/`],
    declaredAssumers: declaredAssumers(blueprint),
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
