import { ArnFormat, CfnOutput, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { pascal } from '../../constructs/naming';
import type { BackOfficeZone } from '../../constructs/back-office/back-office-zone';
import type { BrokerRoute, BrokerTarget } from '../../constructs/broker/api';
import { Broker } from '../../constructs/broker/broker';
import { SystemOfRecord } from '../../constructs/back-office/system-of-record';
import { cloudFormationExecutionRoleArn } from '../../constructs/shared/deployment-role';
import { acknowledge, nagArn } from '../../policies/acknowledge';
import {
  brokerBodyLimitBytes,
  operationScope,
  physicalNamePrefix,
  SHARED_PRODUCT_TAGS,
  zoneTargets,
} from '../blueprint';
import {
  brokerManifest,
  encodeManifestPart,
  splitBrokerManifest,
} from '../contract/broker-manifest';
import {
  brokerParameterNames,
  credentialsSecretNamePrefix,
  capabilityQueueNames,
  integrationRoleName,
  ledgerTableName,
} from '../blueprint/names';
import { shareParameters } from './parameter-sharing';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface BrokerStackProps extends Omit<ZoneStackProps, 'attribution'> {
  /** The back office the broker leads to. */
  readonly backOffice: BackOfficeZone;
}

/** The identity and API broker, owned by IT: the only door between the two zones. */
export class BrokerStack extends ZoneStack {
  readonly broker: Broker;

  constructor(scope: Construct, id: string, props: BrokerStackProps) {
    const { blueprint, backOffice } = props;
    super(scope, id, {
      description: `Office Zones broker of ${blueprint.enterprise} (${blueprint.environment}): identity and the API between front and back office.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'integration',
        costCentre: blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: SHARED_PRODUCT_TAGS.broker,
      },
    });

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
    // The back office as the broker reaches it: by the names the blueprint gives its ledgers and
    // queues, which CloudFormation refuses to replace, with ARNs and URLs formatted here. A
    // reference resolved only when the broker deploys would leave it sending to a queue that a
    // back-office deploy replaced (DEC-021). Only the zone key's ARN, which no name gives, is a
    // reference; the key is retained and never replaced.
    const targets: Record<string, BrokerTarget> = {};
    const zones = zoneTargets(blueprint);
    const backOfficeAccount =
      zones && zones.backOffice.account !== zones.integration.account
        ? zones.backOffice.account
        : undefined;
    const backOfficeByName = new Construct(this, 'BackOffice');
    for (const capability of blueprint.backOffice.capabilities) {
      const takesCommands = capability.operations.some((op) => op.kind === 'command');
      targets[capability.name] = {
        system: SystemOfRecord.fromSystemOfRecordAttributes(
          backOfficeByName,
          pascal(capability.name),
          {
            capabilityName: capability.name,
            // In another account the key's ARN would be a cross-account reference, which
            // aws-cdk-lib makes with a role in the back office's account that the integration
            // account may assume: a second door. Any key of the back-office account instead; its
            // key policy admits this role for the zone key alone (DEC-036).
            keyArn: backOfficeAccount
              ? this.formatArn({
                  service: 'kms',
                  account: backOfficeAccount,
                  resource: 'key',
                  resourceName: '*',
                })
              : backOffice.key.keyArn,
            account: backOfficeAccount,
            ledgerTableName: ledgerTableName(blueprint, capability.name),
            ledgerKeys: capability.ledger,
            intakeQueueName: takesCommands
              ? capabilityQueueNames(blueprint, capability.name).intake
              : undefined,
          },
        ),
        integrationRoleName: integrationRoleName(blueprint, capability.name),
      };
    }

    this.broker = new Broker(this, 'Broker', {
      domainPrefix: blueprint.broker.domainPrefix,
      namePrefix: physicalNamePrefix(blueprint),
      routes,
      targets,
      // Consumers live in stacks of their own (ConsumerStack), so this stack keeps its size.
      credentialsSecretNamePrefix: credentialsSecretNamePrefix(blueprint),
      defaultConsumerThrottle: blueprint.broker.consumerThrottle,
      accessTokenValidity: Duration.minutes(blueprint.broker.accessTokenValidityMinutes),
      throttle: blueprint.broker.throttle,
      wafRateLimitPerIp: blueprint.broker.wafRateLimitPerIp,
      deploymentRoleArn: cloudFormationExecutionRoleArn(
        this,
        blueprint.deployment.bootstrapQualifier,
      ),
      // Every valid command body passes the WAF, anything larger is blocked (DEC-018).
      maxBodyBytes: brokerBodyLimitBytes(blueprint),
    });

    acknowledge(this.broker.api.restApi.node.findChild('CloudWatchRole'), {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'API Gateway writes execution logs with one account-wide role; AWS documents this managed policy for it, and API Gateway, not us, picks the log group names it writes to.',
      reference: 'DEC-004',
    });

    // What the broker publishes for runtimes and the operations CLI: SSM parameters (read by the
    // product stacks at deploy time and by `office-zones` at run time) and stack outputs.
    const deployed = {
      userPoolId: this.broker.identity.userPool.userPoolId,
      tokenUrl: this.broker.identity.tokenUrl,
      apiUrl: this.broker.api.url,
      apiId: this.broker.api.restApi.restApiId,
      onboardedUsagePlanId: this.broker.defaultUsagePlan.usagePlanId,
    };
    const names = brokerParameterNames(blueprint);
    const publish = (id: string, parameterName: string, value: string, description: string) =>
      new ssm.StringParameter(this, id, {
        parameterName,
        stringValue: value,
        description,
        tier: ssm.ParameterTier.STANDARD,
      });
    publish(
      'UserPoolIdParameter',
      names.userPoolId,
      deployed.userPoolId,
      'Office Zones broker: the user pool id',
    );
    const tokenUrlParameter = publish(
      'TokenUrlParameter',
      names.tokenUrl,
      deployed.tokenUrl,
      'Office Zones broker: the OAuth token endpoint',
    );
    const apiUrlParameter = publish(
      'ApiUrlParameter',
      names.apiUrl,
      deployed.apiUrl,
      'Office Zones broker: the API URL',
    );
    publish('ApiIdParameter', names.apiId, deployed.apiId, 'Office Zones broker: the REST API id');
    publish(
      'OnboardedUsagePlanIdParameter',
      names.onboardedUsagePlanId,
      deployed.onboardedUsagePlanId,
      'Office Zones broker: the usage plan of partners onboarded at run time',
    );
    const credentialsKeyParameter = publish(
      'CredentialsKeyArnParameter',
      names.credentialsKeyArn,
      this.broker.credentialsKey.keyArn,
      'Office Zones broker: the key of delivered credentials',
    );
    // Products in accounts of their own read what they need across accounts: the three
    // parameters their stacks resolve, shared with their accounts, and the credentials key,
    // which decrypts their secrets through Secrets Manager (DEC-036).
    const productAccounts = (zones?.frontOfficeAccounts ?? []).filter(
      (a) => a !== zones?.integration.account,
    );
    shareParameters(
      this,
      'ProductParametersShare',
      [apiUrlParameter, tokenUrlParameter, credentialsKeyParameter],
      productAccounts,
    );
    if (productAccounts.length > 0) {
      this.broker.credentialsKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ProductRuntimesInTheirAccountsDecryptTheirCredentials',
          effect: iam.Effect.ALLOW,
          principals: productAccounts.map((a) => new iam.AccountPrincipal(a)),
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'aws:PrincipalArn': productAccounts.map((account) =>
                this.formatArn({
                  service: 'iam',
                  region: '',
                  account,
                  resource: 'role',
                  resourceName: `${physicalNamePrefix(blueprint)}-product-*`,
                }),
              ),
            },
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.${this.urlSuffix}` },
            StringLike: {
              'kms:EncryptionContext:SecretARN': this.formatArn({
                service: 'secretsmanager',
                resource: 'secret',
                resourceName: `${credentialsSecretNamePrefix(blueprint)}*`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            },
          },
        }),
      );
    }
    // The manifest in parts, each within one SSM parameter: the shared part and one per capability
    // here, one per consumer in its consumer stack (see splitBrokerManifest).
    const parts = splitBrokerManifest(brokerManifest(blueprint, deployed), {
      capabilitiesPath: names.manifestCapabilitiesPath,
      consumersPath: names.manifestConsumersPath,
    });
    // The shared part holds deploy-time values (references) and stays small: Standard tier.
    new ssm.StringParameter(this, 'ManifestParameter', {
      parameterName: names.manifest,
      stringValue: this.toJsonString(parts.shared),
      description:
        'Office Zones broker manifest: the shared part (user pool, API, where the other parts are)',
      tier: ssm.ParameterTier.STANDARD,
    });
    // A capability's part holds its routes' body schemas, compressed when over 4 KB; always the
    // Advanced tier (8 KB), since SSM cannot turn an Advanced parameter back into a Standard one
    // when a part shrinks. The limits check fails synth when a part still holds more.
    const capabilityParts = new Construct(this, 'ManifestCapabilities');
    for (const part of parts.capabilities) {
      new ssm.StringParameter(capabilityParts, pascal(part.capability), {
        parameterName: `${names.manifestCapabilitiesPath}${part.capability}`,
        stringValue: encodeManifestPart(part),
        description: `Office Zones broker manifest: capability ${part.capability}`,
        tier: ssm.ParameterTier.ADVANCED,
      });
    }
    acknowledge(this.broker.rotation.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only X-Ray tracing (PutTraceSegments, PutTelemetryRecords) is on *: X-Ray supports no resource-level permissions. Cognito actions name the pool.',
      reference: 'DEC-005',
    });
    acknowledge(this.broker.rotation.role, {
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, { service: 'secretsmanager', resource: `secret:${this.broker.credentialsSecretNamePrefix}*` })}]`,
      reason:
        "The consumers' credentials secrets are made in their own stacks after this one, one per consumer; the role names them by their common name prefix (the trailing * covers the six random characters Secrets Manager appends to every secret ARN), not one by one, so this stack does not grow with the consumers.",
      reference: 'DEC-034',
    });

    if (backOfficeAccount) {
      for (const capability of blueprint.backOffice.capabilities) {
        const role = this.broker.api.integrationRoles.get(capability.name);
        if (!role) continue;
        acknowledge(role, {
          id: `AwsSolutions-IAM5[Resource::${nagArn(this, { service: 'kms', account: backOfficeAccount, resource: 'key/*' })}]`,
          reason:
            "The back office's zone key is in the back-office account; its ARN is known only there, and a cross-account reference to it would open a second door (a role in the back-office account this account may assume). The grant is limited to SQS or DynamoDB of the key's region (kms:ViaService), and only the zone key's policy admits this role from another account, so no other key is usable.",
          reference: 'DEC-036',
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: deployed.apiUrl, description: 'The broker API' });
    new CfnOutput(this, 'UserPoolId', { value: deployed.userPoolId });
    new CfnOutput(this, 'TokenUrl', { value: deployed.tokenUrl });
  }
}
