import type { AccessPathSettings } from '../../policies/access-paths/model';
import { loadOrganizationPolicy, ORGANIZATION_POLICY_FILES } from '../../policies/organizations';
import type { Blueprint } from '../blueprint';
import {
  cloudFormationExecutionRoleName,
  integrationRoleName,
  ledgerTableName,
  maintainerRoleName,
  operatorRoleName,
  productCredentialsSecretName,
  productRuntimeRoleName,
} from '../blueprint/names';

/** The account every access path is simulated in: a placeholder, not a real account. */
export const SIMULATED_ACCOUNT = '111111111111';

/** The region access paths are simulated in when the blueprint names none. */
export const SIMULATED_REGION = 'eu-west-1';

/**
 * What the access-path evaluation needs from the blueprint: the simulated account and region,
 * the roles it names (CloudFormation's execution role by the bootstrap qualifier, the broker's
 * integration roles, the back office's operator and maintainers, each product's runtime) and the
 * SCPs of each zone: the front-office SCP applies to the front office's principals, the
 * back-office SCP to the back office's, the integration SCP to the integration zone's (IT's broker
 * and guardrails), each under AWS's default `FullAWSAccess`. With accounts (`environments`), each
 * stack is simulated in its own account and region (the plugin passes them; `SIMULATED_ACCOUNT`
 * stays the account of environment-agnostic stacks), and each account's CDK execution role
 * deploys its stacks.
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
      integration: [
        {
          name: `policies/organizations/${ORGANIZATION_POLICY_FILES.integrationScp}`,
          policy: loadOrganizationPolicy('integrationScp'),
        },
      ],
    },
  };
}
