import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { AccessPathSettings } from '../../policies/access-paths/model';
import { AccessPathChecks } from '../../policies/access-paths/plugin';
import type { EngineLoader } from '../../policies/access-paths/engine';
import { BoundaryChecks } from '../../policies/boundary/pack';
import { loadOrganizationPolicy, ORGANIZATION_POLICY_FILES } from '../../policies/organizations';
import { RecordedAwsSolutionsChecks, RulesRun } from '../../policies/rules-run';
import type { Blueprint } from '../blueprint';
import {
  cloudFormationExecutionRoleName,
  integrationRoleName,
  ledgerTableName,
  maintainerRoleName,
  operatorRoleName,
  parameterRoot,
  productCredentialsSecretName,
  productRuntimeRoleName,
} from '../blueprint/names';
import { zoneOf } from './zones';

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

/** The account every access path is simulated in: a placeholder, not a real account. */
export const SIMULATED_ACCOUNT = '111111111111';

/** The region access paths are simulated in when the blueprint names none. */
export const SIMULATED_REGION = 'eu-west-1';

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

/**
 * What the access-path evaluation needs from the blueprint: the simulated account and region,
 * the roles it names (CloudFormation's execution role by the bootstrap qualifier, the broker's
 * integration roles, the back office's operator and maintainers, each product's runtime) and the
 * SCPs of each zone: the front-office SCP applies to the front office's principals, the
 * back-office SCP to the back office's; the integration zone (IT's broker and guardrails) has
 * none of ours, only AWS's default `FullAWSAccess`.
 */
export function accessPathSettings(blueprint: Blueprint): AccessPathSettings {
  const region = blueprint.region ?? SIMULATED_REGION;
  const scp = (name: 'frontOfficeScp' | 'backOfficeScp') => ({
    name: `policies/organizations/${ORGANIZATION_POLICY_FILES[name]}`,
    policy: loadOrganizationPolicy(name),
  });
  return {
    account: SIMULATED_ACCOUNT,
    region,
    executionRoleName: cloudFormationExecutionRoleName(blueprint, SIMULATED_ACCOUNT, region),
    integrationRoleNames: blueprint.backOffice.capabilities.map((c) =>
      integrationRoleName(blueprint, c.name),
    ),
    operatorRoleName: operatorRoleName(blueprint),
    maintainers: blueprint.backOffice.capabilities.map((c) => ({
      capability: c.name,
      roleName: maintainerRoleName(blueprint, c.name),
      tableNames: [
        ledgerTableName(blueprint, c.name),
        `${ledgerTableName(blueprint, c.name)}-invoices`,
      ],
    })),
    products: blueprint.frontOffice.products.map((p) => ({
      name: p.name,
      runtimeRoleName: productRuntimeRoleName(blueprint, p.name),
      secretName: productCredentialsSecretName(blueprint, p.name),
    })),
    serviceControlPolicies: {
      'front-office': [scp('frontOfficeScp')],
      'back-office': [scp('backOfficeScp')],
      integration: [],
    },
  };
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
  };
}
