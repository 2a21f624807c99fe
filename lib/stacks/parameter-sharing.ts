import { Stack } from 'aws-cdk-lib';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * Parameters the broker publishes for products that run in other accounts (DEC-036): each is in
 * the Advanced tier, the only tier Parameter Store shares, and one AWS RAM resource share makes
 * them readable (`ssm:GetParameter(s)`, the default read-only permission) by those accounts, within
 * the organisation only (`allowExternalPrincipals: false`: AWS RAM sharing with AWS Organizations
 * must be enabled, see the README). A product stack reads them by ARN, as a template parameter,
 * the one way CloudFormation reads a shared parameter.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ram-resourceshare.html
 */
export function shareParameters(
  scope: Construct,
  id: string,
  parameters: readonly ssm.StringParameter[],
  accounts: readonly string[],
): ram.CfnResourceShare | undefined {
  if (accounts.length === 0 || parameters.length === 0) return undefined;
  for (const p of parameters) {
    const cfn = p.node.defaultChild as ssm.CfnParameter;
    cfn.tier = ssm.ParameterTier.ADVANCED;
  }
  const share = new ram.CfnResourceShare(scope, id, {
    name: `${Stack.of(scope).stackName}-${id}`,
    allowExternalPrincipals: false,
    principals: [...accounts].sort(),
    resourceArns: parameters.map((p) => p.parameterArn),
  });
  return share;
}

/**
 * The ARN of a parameter `name` (e.g. `/office-zones/...`) in another account, as a stack in
 * that account's organisation reads it once it is shared.
 */
export function sharedParameterArn(stack: Stack, account: string, name: string): string {
  return stack.formatArn({
    service: 'ssm',
    account,
    resource: 'parameter',
    resourceName: name.replace(/^\//, ''),
  });
}
