import { Aws } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import {
  backupPolicyFor,
  backupPolicyProblems,
  frontOfficeScpFor,
  loadOrganizationPolicy,
  scpProblems,
  tagPolicyFor,
  tagPolicyProblems,
} from '../../policies/organizations';
import {
  Blueprint,
  DEFAULT_COST_TAGS,
  physicalNamePrefix,
  SHARED_PRODUCT_TAGS,
} from '../blueprint';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface OrganizationStackProps extends Omit<ZoneStackProps, 'attribution'> {
  /** A blueprint with `organization` set. */
  readonly blueprint: Blueprint;
}

/**
 * The organisation policies of `policies/organizations/`, attached to the blueprint's OUs: the
 * front-office SCP and the back-office SCP to their OUs, the tag policy (under the contract's
 * keys) to both, the backup policy to the back office. Deploy it in the management account (or
 * a delegated administrator for Organizations policies).
 *
 * The policies are AWS Organizations L1 resources placed here directly: they are data, not a
 * zone construct, and `constructs/` does not read `policies/`.
 */
export class OrganizationStack extends ZoneStack {
  readonly policies: Readonly<Record<string, organizations.CfnPolicy>>;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    const { blueprint } = props;
    const organization = blueprint.organization;
    if (!organization) throw new Error('the organisation stack needs blueprint.organization');
    super(scope, id, {
      description: `Office Zones organisation policies of ${blueprint.enterprise} (${blueprint.environment}): SCPs, tag and backup policies for the zones' OUs.`,
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
    const tagPolicy = tagPolicyFor(blueprint.costTags, DEFAULT_COST_TAGS);
    const problems = [
      ...scpProblems(frontOfficeScp).map((p) => `front-office SCP ${p}`),
      ...scpProblems(backOfficeScp).map((p) => `back-office SCP ${p}`),
      ...tagPolicyProblems(tagPolicy).map((p) => `tag policy ${p}`),
      ...backupPolicyProblems(loadOrganizationPolicy('backupPolicy')).map(
        (p) => `backup policy ${p}`,
      ),
    ];
    if (problems.length > 0) {
      throw new Error(`the organisation policies are not valid:\n  ${problems.join('\n  ')}`);
    }

    const prefix = physicalNamePrefix(blueprint);
    const both = [...organization.frontOfficeOuIds, ...organization.backOfficeOuIds];
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
      tagPolicy: policy(
        'TagPolicy',
        'TAG_POLICY',
        'cost-tags',
        'The cost-tag contract: keys and values every resource carries.',
        tagPolicy,
        both,
      ),
      backupPolicy: policy(
        'BackupPolicy',
        'BACKUP_POLICY',
        'back-office-backups',
        'Daily and monthly backups of everything tagged to the back office.',
        backupPolicyFor(Aws.REGION, Aws.PARTITION),
        organization.backOfficeOuIds,
      ),
    };
  }
}
