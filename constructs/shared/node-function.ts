import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PropChecks } from './check-props';
import { SHARED_DEFAULTS } from './defaults';
import { handlerCode } from './handler-code';
import { FUNCTION_TIMEOUT_SECONDS, integerRangeProblem, memorySizeProblem } from './prop-rules';

const DEFAULTS = SHARED_DEFAULTS.nodeFunction;

export interface NodeFunctionProps {
  /**
   * The TypeScript file of the handler, e.g. `path.join(__dirname, 'handlers', 'orders.ts')`.
   * Where the folder `handlers/orders/` holds a prebundled `index.js` (as in the npm package), that
   * is deployed and the `.ts` file need not exist; otherwise the file is bundled with esbuild.
   */
  readonly entry: string;
  /**
   * The name of the handler function the entry exports.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Physical name of the function, for those who find it by name (alarms in another stack).
   * Range: 1 to 64 characters.
   * @default - a CloudFormation-generated name
   */
  readonly functionName?: string;
  /**
   * What the function does, shown in the Lambda console. Range: at most 256 characters.
   * @default - none
   */
  readonly description?: string;
  /**
   * Environment variables; together at most 4 KB.
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
   */
  readonly environment?: Record<string, string>;
  /**
   * Memory, in MiB. Range: 128 to 10,240.
   * @default 256
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /**
   * How long an invocation may run. Range: 1 second to 15 minutes.
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly timeout?: Duration;
  /**
   * The role the function runs as. It gets write access to the function's log group and, in a
   * VPC, the network-interface permissions Lambda needs.
   * @default - a new role with exactly those permissions
   */
  readonly role?: iam.IRole;
  /**
   * Encrypts the function's log group. Its key policy must let CloudWatch Logs use it.
   * @default - CloudWatch Logs' own encryption
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Subnets to run in. The function then has no route to the internet unless the VPC gives it one.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Which of the VPC's subnets to run in (with `vpc`).
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the function's network interfaces (with `vpc`).
   * @default - a new security group with no ingress
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Concurrent executions reserved for (and limiting) the function. Range: 0 to the account's
   * unreserved concurrency.
   * @default - unreserved
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A Node.js Lambda function with Office Zones defaults, its handler bundled without Docker and
 * without the network: prebundled in the npm package, bundled by esbuild (with a cache keyed by
 * the handler's sources) in a checkout of the repository.
 *
 * Default settings: the newest Node.js runtime, arm64, X-Ray tracing, JSON logs into its own
 * log group (kept one year), a role of its own with only the permissions it is given, the AWS SDK
 * bundled (not taken from the runtime), minified with source maps.
 *
 * It composes a `lambda.Function` (its `function`) rather than extending it. The function is its
 * child `Default`, an id aws-cdk-lib leaves out of logical ids, so the function's logical id is the
 * one this construct's path gives (`<id>/Resource`, as when it extended `lambda.Function`).
 */
export class NodeFunction extends Construct {
  /** The function. */
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    new PropChecks(this)
      .check('memorySize', props.memorySize, memorySizeProblem)
      .checkSeconds('timeout', props.timeout, (seconds) =>
        integerRangeProblem(seconds, FUNCTION_TIMEOUT_SECONDS, 'seconds'),
      )
      .throwIfAny();
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? (DEFAULTS.logRetentionDays as logs.RetentionDays),
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

    this.function = new lambda.Function(this, 'Default', {
      code: handlerCode(scope, id, props.entry, lambda.Runtime.NODEJS_LATEST),
      handler: `index.${props.handler ?? 'handler'}`,
      functionName: props.functionName,
      description: props.description,
      environment: props.environment,
      runtime: lambda.Runtime.NODEJS_LATEST,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULTS.memorySize,
      timeout: props.timeout ?? Duration.seconds(DEFAULTS.timeoutSeconds),
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
    });
  }
}
