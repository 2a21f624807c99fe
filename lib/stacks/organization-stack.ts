import { Aws } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import {
  backupPolicyFor,
  backupPolicyProblems,
  frontOfficeScpFor,
  integrationScpFor,
  loadOrganizationPolicy,
  scpProblems,
  tagPolicyFor,
  tagPolicyProblems,
} from '../../policies/organizations';
import {
  Blueprint,
  DEFAULT_COST_TAGS,
  Organization,
  physicalNamePrefix,
  SHARED_PRODUCT_TAGS,
} from '../blueprint';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface OrganizationStackProps extends Omit<ZoneStackProps, 'attribution'> {
  /** A blueprint with `organization` set, unless `organization` is given. */
  readonly blueprint: Blueprint;
  /**
   * The OUs to attach the policies to (`organizationPlacement`).
   * @default - the blueprint's `organization`
   */
  readonly organization?: Organization;
  /**
   * The enterprise's stack, shared by several environments (DEC-038): its policies are named
   * `<stackPrefix>-<policy>`, without an environment.
   * @default false - named `<stackPrefix>-<environment>-<policy>`
   */
  readonly shared?: boolean;
  /**
   * The regions the backup policy backs up: the zones' regions, which differ from the stack's
   * when it is deployed to AWS Organizations' region (us-east-1).
   * @default - the stack's region
   */
  readonly backupRegions?: readonly string[];
}

/**
 * The organisation policies of `policies/organizations/`, attached to the blueprint's OUs: the
 * front-office, back-office and integration SCPs to their zone's OUs (the integration SCP only
 * when `integrationOuIds` names any), the tag policy (under the contract's keys) to all of them,
 * the backup policy to the back office's. Deploy it in the management account (or a delegated
 * administrator for Organizations policies).
 *
 * @throws Error when the blueprint has no `organization` and none is given, or when a policy
 *   file breaks its checks (`scpProblems`, `tagPolicyProblems`, `backupPolicyProblems`)
 *
 * The policies are AWS Organizations L1 resources placed here directly: they are data, not a
 * zone construct, and `constructs/` does not read `policies/`.
 */
export class OrganizationStack extends ZoneStack {
  readonly policies: Readonly<Record<string, organizations.CfnPolicy>>;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    const { blueprint } = props;
    const organization = props.organization ?? blueprint.organization;
    if (!organization) throw new Error('the organisation stack needs blueprint.organization');
    super(scope, id, {
      description: `Office Zones organisation policies of ${blueprint.enterprise} (${
        props.shared && blueprint.environments
          ? blueprint.environments
              .filter((e) => !e.organization)
              .map((e) => e.name)
              .join(', ')
          : blueprint.environment
      }): SCPs, tag and backup policies for the zones' OUs.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'integration',
        costCentre: blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: SHARED_PRODUCT_TAGS.organization,
      },
    });

    const frontOfficeScp = frontOfficeScpFor(blueprint.costTags, DEFAULT_COST_TAGS);
    const backOfficeScp = loadOrganizationPolicy('backOfficeScp');
    const integrationScp = integrationScpFor(blueprint.costTags, DEFAULT_COST_TAGS);
    const tagPolicy = tagPolicyFor(blueprint.costTags, DEFAULT_COST_TAGS);
    const problems = [
      ...scpProblems(frontOfficeScp).map((p) => `front-office SCP ${p}`),
      ...scpProblems(backOfficeScp).map((p) => `back-office SCP ${p}`),
      ...scpProblems(integrationScp).map((p) => `integration SCP ${p}`),
      ...tagPolicyProblems(tagPolicy).map((p) => `tag policy ${p}`),
      ...backupPolicyProblems(loadOrganizationPolicy('backupPolicy')).map(
        (p) => `backup policy ${p}`,
      ),
    ];
    if (problems.length > 0) {
      throw new Error(`the organisation policies are not valid:\n  ${problems.join('\n  ')}`);
    }

    const prefix = props.shared ? blueprint.stackPrefix : physicalNamePrefix(blueprint);
    const all = [
      ...organization.frontOfficeOuIds,
      ...organization.backOfficeOuIds,
      ...organization.integrationOuIds,
    ];
    const policy = (
      id: string,
      type: string,
      name: string,
      description: string,
      content: unknown,
      targetIds: string[],
    ) =>
      new organizations.CfnPolicy(this, id, {
        name: `${prefix}-${name}`,
        type,
        description,
        content,
        targetIds,
      });
    this.policies = {
      frontOfficeScp: policy(
        'FrontOfficeScp',
        'SERVICE_CONTROL_POLICY',
        'front-office-guardrails',
        'Self-service inside guardrails: no leaving the organisation, no disabling CloudTrail or Config, no untagged resources.',
        frontOfficeScp,
        organization.frontOfficeOuIds,
      ),
      backOfficeScp: policy(
        'BackOfficeScp',
        'SERVICE_CONTROL_POLICY',
        'back-office-guardrails',
        'Governed: no public S3, no internet gateways, no disabling backups, no scheduled key deletion.',
        backOfficeScp,
        organization.backOfficeOuIds,
      ),
      // Only with integration OUs: a quick start's organisation stack stays as it was.
      ...(organization.integrationOuIds.length > 0
        ? {
            integrationScp: policy(
              'IntegrationScp',
              'SERVICE_CONTROL_POLICY',
              'integration-guardrails',
              "IT's broker: no leaving the organisation, no disabling audit or detection, no IAM users, its roles, user pool and secrets changed only by CloudFormation.",
              integrationScp,
              organization.integrationOuIds,
            ),
          }
        : {}),
      tagPolicy: policy(
        'TagPolicy',
        'TAG_POLICY',
        'cost-tags',
        'The cost-tag contract: keys and values every resource carries.',
        tagPolicy,
        all,
      ),
      backupPolicy: policy(
        'BackupPolicy',
        'BACKUP_POLICY',
        'back-office-backups',
        'Daily and monthly backups of everything tagged to the back office.',
        backupPolicyFor(Aws.REGION, Aws.PARTITION, props.backupRegions),
        organization.backOfficeOuIds,
      ),
    };
  }
}
