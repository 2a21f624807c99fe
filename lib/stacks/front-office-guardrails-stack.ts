import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PermissionBoundaryPolicy } from '../../constructs/front-office/guardrails';
import { acknowledge } from '../../policies/acknowledge';
import { SHARED_PRODUCT_TAGS } from '../blueprint';
import { frontOfficeBoundaryDocument } from './front-office-boundary';
import { frontOfficeBoundaryName } from '../blueprint/names';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export type FrontOfficeGuardrailsStackProps = Omit<ZoneStackProps, 'attribution'>;

/**
 * The guardrails IT keeps around the front office, outside any product team's stack: the
 * permission boundary every role of every product stack carries. Deploy it to each front-office
 * account before the product stacks.
 */
export class FrontOfficeGuardrailsStack extends ZoneStack {
  readonly boundary: PermissionBoundaryPolicy;

  constructor(scope: Construct, id: string, props: FrontOfficeGuardrailsStackProps) {
    const { blueprint } = props;
    // IT's, like the broker: the integration zone. Its boundary policy is not a front-office
    // principal's grant; it caps every front-office role.
    super(scope, id, {
      description: `Office Zones front-office guardrails of ${blueprint.enterprise} (${blueprint.environment}): the permission boundary of every product role.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'integration',
        costCentre: blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: SHARED_PRODUCT_TAGS.frontOfficeGuardrails,
      },
    });

    this.boundary = new PermissionBoundaryPolicy(this, 'Boundary', {
      managedPolicyName: frontOfficeBoundaryName(blueprint),
      description:
        'Office Zones front-office boundary: no back-office resources, no changes to the broker, no untagged resources, no role without this boundary.',
      document: iam.PolicyDocument.fromJson(frontOfficeBoundaryDocument(this, blueprint)),
    });

    for (const id of ['AwsSolutions-IAM5[Action::*]', 'AwsSolutions-IAM5[Resource::*]']) {
      acknowledge(this.boundary, {
        id,
        reason:
          'A permission boundary grants nothing: it caps what a role may be granted. Its Allow * is the ceiling and its Deny statements are the guardrails; narrowing the Allow would break the teams it exists to free.',
        reference: 'DEC-009',
      });
    }
  }
}
