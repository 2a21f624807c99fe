import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface PermissionBoundaryPolicyProps {
  /**
   * The policy's name; product stacks find it by this name, so it must be fixed. Range: 1 to 128
   * letters, digits and `+=,.@-_`.
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly managedPolicyName: string;
  /** The boundary's statements. */
  readonly document: iam.PolicyDocument;
  /**
   * What the policy is for, shown in the IAM console. Range: at most 1,000 characters.
   * @default - none
   */
  readonly description?: string;
}

/**
 * The managed policy a zone's roles carry as their permission boundary: the most any of them can
 * ever be allowed, whatever policies a team attaches. Owned by IT, outside the product stacks, so
 * a team that edits its own stack cannot edit its boundary.
 */
export class PermissionBoundaryPolicy extends Construct {
  /** The managed policy. */
  readonly policy: iam.IManagedPolicy;

  constructor(scope: Construct, id: string, props: PermissionBoundaryPolicyProps) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      managedPolicyName: props.managedPolicyName,
      description: props.description,
      document: props.document,
    });
  }
}
