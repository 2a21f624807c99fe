import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NodeFunctionProps {
  /** The TypeScript file of the handler. */
  readonly entry: string;
  /** @default 'handler' */
  readonly handler?: string;
  readonly description?: string;
  /** @default - none */
  readonly environment?: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /**
   * The role the function runs as. It gets write access to the function's log group and, in a
   * VPC, the network-interface permissions Lambda needs.
   * @default - a new role with exactly those permissions
   */
  readonly role?: iam.Role;
  /**
   * Encrypts the function's log group. Its key policy must let CloudWatch Logs use it.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Subnets to run in. The function then has no route to the internet unless the VPC gives it one.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default - the VPC's isolated subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default - a new security group with no ingress */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A Node.js Lambda function with Office Zones defaults, bundled by the project's esbuild (no
 * Docker, no network at synth).
 *
 * Default settings: the newest Node.js runtime, arm64, X-Ray tracing, JSON logs into its own
 * log group (kept one year), a role of its own with only the permissions it is given, the AWS SDK
 * bundled (not taken from the runtime), minified with source maps.
 */
export class NodeFunction extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role =
      props.role ??
      new iam.Role(scope, `${id}Role`, {
        // No condition: Lambda is not documented to send a key to condition on (policies/trust).
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs ${id}`,
      });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    if (props.vpc) {
      // What AWSLambdaVPCAccessExecutionRole grants, inline: Lambda manages the function's network
      // interfaces with the role. EC2 offers no resource-level permissions for these calls.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }

    super(scope, id, {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      environment: props.environment,
      runtime: lambda.Runtime.NODEJS_LATEST,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      role,
      vpc: props.vpc,
      vpcSubnets: props.vpc
        ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED })
        : undefined,
      securityGroups: props.securityGroups,
      allowPublicSubnet: false,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      bundling: {
        minify: true,
        sourceMap: true,
        // The AWS SDK is bundled, not taken from the runtime: the function runs the SDK version it
        // was tested with, whatever the newest runtime ships.
        externalModules: [],
        forceDockerBundling: false,
        // esbuild's output summary (file sizes, timing) is a block per function on every synth;
        // warnings and errors still show.
        logLevel: nodejs.LogLevel.WARNING,
      },
    });
  }
}
