import { ArnFormat, Stack } from 'aws-cdk-lib';
import { frontOfficeBoundary, PolicyDocumentJson } from '../../policies/permission-boundaries';
import { Blueprint, physicalNamePrefix, zoneTargets } from '../blueprint';
import { contractKeys } from '../blueprint/cost-tags';
import { frontOfficeBoundaryName, parameterRoot } from '../blueprint/names';

type Named = Pick<Blueprint, 'stackPrefix' | 'environment'>;

/**
 * The ARN of the front office's permission boundary in the account and partition of a stack.
 * Product stacks name it by this ARN, without a reference to the stack that makes it.
 */
export function frontOfficeBoundaryArn(stack: Stack, blueprint: Named): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'policy',
    resourceName: frontOfficeBoundaryName(blueprint),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The front office's permission boundary (`policies/permission-boundaries/front-office.json`)
 * with the blueprint's tag keys and the broker's names filled in, for the account of a stack.
 */
export function frontOfficeBoundaryDocument(
  stack: Stack,
  blueprint: Blueprint,
): PolicyDocumentJson {
  // The broker's resources are in the integration account, which with accounts is not the
  // front office's (DEC-035).
  const account = zoneTargets(blueprint)?.integration.account;
  const arn = (service: string, resource: string, resourceName: string, sep: ArnFormat) =>
    stack.formatArn({
      service,
      region: service === 'iam' ? '' : '*',
      account,
      resource,
      resourceName,
      arnFormat: sep,
    });
  const brokerRoot = `${parameterRoot(blueprint)}/broker`;
  return frontOfficeBoundary({
    zoneTagKey: blueprint.costTags.zone.key,
    costTagKeys: contractKeys(blueprint),
    boundaryPolicyArn: frontOfficeBoundaryArn(stack, blueprint),
    brokerRoleArns: [
      arn(
        'iam',
        'role',
        `${physicalNamePrefix(blueprint)}-broker-*`,
        ArnFormat.SLASH_RESOURCE_NAME,
      ),
    ],
    brokerSecretArns: [
      arn('secretsmanager', 'secret', `${brokerRoot.slice(1)}/*`, ArnFormat.COLON_RESOURCE_NAME),
    ],
    brokerParameterArns: [
      arn('ssm', 'parameter', `${brokerRoot.slice(1)}/*`, ArnFormat.SLASH_RESOURCE_NAME),
    ],
  });
}
