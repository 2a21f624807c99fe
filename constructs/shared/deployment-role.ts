import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The ARN of the CDK bootstrap's CloudFormation execution role in the environment of the stack
 * that holds `scope`: `cdk-<qualifier>-cfn-exec-role-<account>-<region>`, the principal that
 * creates and updates every resource of the stack and resolves its dynamic references. A
 * resource policy that denies everyone else must admit it for exactly what CloudFormation does
 * with the resource, or the first deploy (and every later update) of what depends on it fails.
 * Environment-agnostic stacks get the account and region as deploy-time values.
 * @param qualifier the bootstrap qualifier (`cdk bootstrap --qualifier`)
 * @default qualifier - CDK's default, `hnb659fds`
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export function cloudFormationExecutionRoleArn(
  scope: IConstruct,
  qualifier: string = DefaultStackSynthesizer.DEFAULT_QUALIFIER,
): string {
  const stack = Stack.of(scope);
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`,
  });
}
