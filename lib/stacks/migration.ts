import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { pascal } from '../../constructs/naming';
import { type Blueprint, clientName, consumers } from '../blueprint';
import { stackName } from '../blueprint/names';

/** One resource's move, in the shape of CloudFormation's `CreateStackRefactor` `ResourceMappings`. */
export interface ResourceMapping {
  readonly Source: { readonly StackName: string; readonly LogicalResourceId: string };
  readonly Destination: { readonly StackName: string; readonly LogicalResourceId: string };
}

/**
 * Where each consumer's resources were in Office Zones 0.1.0 (in the broker stack) and where they
 * are since 0.2.0 (in the consumer's own stack): its app client, credentials secret, the
 * secret's resource policy and rotation schedule, its API key and usage-plan key, and, for a
 * product, the SSM parameter that names its secret. Logical ids are computed as aws-cdk-lib
 * computes them from construct paths, so the list holds for any blueprint.
 *
 * A deployment made with 0.1.0 moves these resources with CloudFormation stack refactoring (the
 * app clients, secrets and API keys keep their ids and values; nothing is replaced) before it
 * deploys 0.2.0: see the README, "Upgrading from 0.1.0".
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceMapping.html
 */
export function consumerStackRefactor(blueprint: Blueprint): ResourceMapping[] {
  const scratch = new App();
  const broker = stackName(blueprint, 'Broker');
  const mappings: ResourceMapping[] = [];
  for (const consumer of consumers(blueprint)) {
    const name = clientName(consumer);
    const id = pascal(name);
    const destination = stackName(blueprint, `Consumer-${consumer.kind}-${consumer.name}`);
    const moves: [string[], string[]][] = [
      [
        ['Broker', 'Identity', 'UserPool', `${id}Client`],
        ['Consumer', 'Client'],
      ],
      [
        ['Broker', `${id}Credentials`, 'Secret'],
        ['Consumer', 'Credentials', 'Secret'],
      ],
      [
        ['Broker', `${id}Credentials`, 'Secret', 'Policy'],
        ['Consumer', 'Credentials', 'Secret', 'Policy'],
      ],
      [
        ['Broker', `${id}Credentials`, 'Secret', 'Rotation'],
        ['Consumer', 'Credentials', 'Secret', 'Rotation'],
      ],
      [
        ['Broker', `${id}Credentials`, 'ApiKey'],
        ['Consumer', 'Credentials', 'ApiKey'],
      ],
      // A CfnUsagePlanKey made directly under the credentials: no `Resource` child.
      [
        ['Broker', `${id}Credentials`, 'UsagePlanKey!'],
        ['Consumer', 'Credentials', 'UsagePlanKey!'],
      ],
    ];
    if (consumer.kind === 'product')
      moves.push([[`${pascal(consumer.name)}CredentialsParameter`], ['CredentialsParameter']]);
    for (const [from, to] of moves) {
      mappings.push({
        Source: { StackName: broker, LogicalResourceId: logicalId(scratch, broker, from) },
        Destination: {
          StackName: destination,
          LogicalResourceId: logicalId(scratch, destination, to),
        },
      });
    }
  }
  return mappings;
}

/**
 * The logical id aws-cdk-lib gives a resource at a construct path in a stack: the L2's `Resource`
 * child, or the path itself when its last part ends in `!` (an L1 made directly).
 */
function logicalId(app: App, stack: string, path: readonly string[]): string {
  const scope = (app.node.tryFindChild(stack) as Stack | undefined) ?? new Stack(app, stack);
  const parts = path.at(-1)!.endsWith('!')
    ? [...path.slice(0, -1), path.at(-1)!.slice(0, -1)]
    : [...path, 'Resource'];
  let parent: Construct = scope;
  for (const part of parts.slice(0, -1))
    parent = (parent.node.tryFindChild(part) as Construct) ?? new Construct(parent, part);
  const resource =
    (parent.node.tryFindChild(parts.at(-1)!) as CfnResource | undefined) ??
    new CfnResource(parent, parts.at(-1)!, { type: 'Office::Zones::Scratch' });
  return scope.resolve(resource.logicalId);
}
