import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { BackOfficeZone } from '../../constructs/back-office/back-office-zone';
import type { BrokerRoute, BrokerTarget } from '../../constructs/broker/api';
import { Broker } from '../../constructs/broker/broker';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import { acknowledge } from '../../policies/acknowledge';
import { Blueprint, clientName, consumers, operationScope, physicalNamePrefix } from '../blueprint';
import { costTags } from '../cost-tags';
import { registerZone } from '../zones';
import { integrationRoleName } from '../names';

export interface BrokerStackProps extends StackProps {
  readonly blueprint: Blueprint;
  /** The back office the broker leads to. */
  readonly backOffice: BackOfficeZone;
}

/** The identity and API broker, owned by IT: the only door between the two zones. */
export class BrokerStack extends Stack {
  readonly broker: Broker;

  constructor(scope: Construct, id: string, props: BrokerStackProps) {
    const { blueprint, backOffice } = props;
    const tags = costTags(blueprint, {
      zone: 'integration',
      costCentre: blueprint.broker.costCentre,
      owner: blueprint.broker.owner,
      product: 'broker',
    });
    super(scope, id, {
      description: `Office Zones broker of ${blueprint.enterprise} (${blueprint.environment}): identity and the API between front and back office.`,
      terminationProtection: true,
      tags,
      ...props,
    });
    registerZone(this, 'integration');

    const routes: BrokerRoute[] = blueprint.backOffice.capabilities.flatMap((capability) =>
      capability.operations.map((op) => ({
        capability: capability.name,
        operation: op.name,
        kind: op.kind,
        path: op.path,
        scope: operationScope(capability, op),
        body: op.body,
        idField: op.kind === 'command' ? (op.idField ?? capability.ledger.partitionKey) : undefined,
        queryParameters: op.queryParameters,
      })),
    );
    const targets: Record<string, BrokerTarget> = {};
    for (const capability of blueprint.backOffice.capabilities) {
      targets[capability.name] = {
        system: backOffice.capability(capability.name),
        integrationRoleName: integrationRoleName(blueprint, capability.name),
      };
    }

    this.broker = new Broker(this, 'Broker', {
      domainPrefix: blueprint.broker.domainPrefix,
      namePrefix: physicalNamePrefix(blueprint),
      routes,
      targets,
      consumers: consumers(blueprint).map((c) => ({ clientName: clientName(c), scopes: c.scopes })),
      accessTokenValidity: Duration.minutes(blueprint.broker.accessTokenValidityMinutes),
      throttle: blueprint.broker.throttle,
      wafRateLimitPerIp: blueprint.broker.wafRateLimitPerIp,
    });
    applyCostTags(this, tags);

    acknowledge(this.broker.api.restApi.node.findChild('CloudWatchRole'), {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'API Gateway writes execution logs with one account-wide role; AWS documents this managed policy for it, and API Gateway, not us, picks the log group names it writes to.',
      reference: 'DEC-004',
    });

    new CfnOutput(this, 'ApiUrl', { value: this.broker.api.url, description: 'The broker API' });
    new CfnOutput(this, 'UserPoolId', { value: this.broker.identity.userPool.userPoolId });
    new CfnOutput(this, 'TokenUrl', { value: this.broker.identity.tokenUrl });
  }
}
