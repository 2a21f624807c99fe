import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BACK_OFFICE_DEFAULTS } from './defaults';

const DEFAULTS = BACK_OFFICE_DEFAULTS.network;

export interface IsolatedNetworkProps {
  /**
   * The VPC's IPv4 address range, a /16 to /28 in CIDR notation; each Availability Zone gets a /24
   * of it.
   * @default '10.40.0.0/16'
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   */
  readonly cidr?: string;
  /**
   * How many Availability Zones the isolated subnets span. Range: at least 1.
   * @default 2
   */
  readonly maxAzs?: number;
  /** Encrypts the flow logs. Its key policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * How long flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A network with no way in or out: isolated subnets only (no internet gateway, no NAT, no public
 * subnet), the default security group stripped of its rules, every flow logged. AWS services are
 * reached through VPC endpoints added with `addGatewayEndpoint` and `addInterfaceEndpoint`.
 *
 * Default settings: a /16 in two Availability Zones, a /24 isolated subnet in each, flow logs of
 * all traffic into a KMS-encrypted log group kept one year.
 */
export class IsolatedNetwork extends Construct {
  /** The VPC, with isolated subnets only. */
  readonly vpc: ec2.IVpc;
  /** Security group of the interface endpoints; callers are allowed in with `allowHttpsFrom`. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The log group of the VPC's flow logs. */
  readonly flowLogs: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? DEFAULTS.cidr),
      maxAzs: props.maxAzs ?? DEFAULTS.maxAzs,
      natGateways: 0,
      createInternetGateway: false,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    this.vpc = vpc;

    this.flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.flowLogRetention ?? (DEFAULTS.flowLogRetentionDays as logs.RetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface endpoints: HTTPS from the back office compute only',
      allowAllOutbound: false,
    });
  }

  /** Adds a gateway endpoint (DynamoDB, S3) to the isolated subnets' route tables. */
  addGatewayEndpoint(
    id: string,
    service: ec2.GatewayVpcEndpointAwsService,
  ): ec2.GatewayVpcEndpoint {
    return this.vpc.addGatewayEndpoint(id, {
      service,
      subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
  }

  /** Adds an interface endpoint with private DNS, reachable only by those allowed in. */
  addInterfaceEndpoint(
    id: string,
    service: ec2.InterfaceVpcEndpointAwsService,
  ): ec2.InterfaceVpcEndpoint {
    return this.vpc.addInterfaceEndpoint(id, {
      service,
      privateDnsEnabled: true,
      open: false,
      securityGroups: [this.endpointSecurityGroup],
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
  }

  /** Lets a caller's security group reach the interface endpoints over HTTPS. */
  allowHttpsFrom(peer: ec2.ISecurityGroup): void {
    this.endpointSecurityGroup.addIngressRule(
      peer,
      ec2.Port.tcp(443),
      'HTTPS from back-office compute',
    );
  }
}
