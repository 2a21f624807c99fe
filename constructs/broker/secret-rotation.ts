import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';
import { BROKER_DEFAULTS } from './defaults';

export interface ClientSecretRotationProps {
  /** The user pool whose app-client secrets it rotates. */
  readonly userPool: cognito.IUserPool;
  /** The key that encrypts the secrets it rotates. */
  readonly secretEncryptionKey: kms.IKey;
  /**
   * The name prefix of every secret it rotates, e.g. `office-zones/OfficeZones/dev/broker/clients/`.
   * Its role may manage the secrets whose names start with it, and only those: the secrets are
   * made in other stacks (one per consumer), so the role names them by prefix, never one by one
   * (a statement per secret would grow the role's policy with every consumer). Secrets Manager
   * appends six random characters to every secret's ARN, so the prefix ends in `*`.
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
   */
  readonly secretNamePrefix: string;
  /**
   * Encrypts the function's logs.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * How often each secret is rotated. Range: 4 hours to 1,000 days (Secrets Manager's schedule).
   * @default Duration.days(30)
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
   */
  readonly every?: Duration;
}

/**
 * Rotates consumers' app-client secrets on a schedule with Cognito's client-secret rotation (see
 * `handlers/rotate-client-secret.ts`): the new secret is added, the previous one stays valid until
 * the next rotation, so a consumer never loses access mid-flight.
 *
 * Default settings: every 30 days; the function may manage the client secrets of this user pool
 * and the secrets named `secretNamePrefix*`, nothing else.
 */
export class ClientSecretRotation extends Construct {
  /** The function Secrets Manager invokes to rotate each secret. */
  readonly function: lambda.IFunction;
  /** The function's role: the user pool's client secrets and the secrets named by the prefix. */
  readonly role: iam.IRole;
  /** The name prefix of the secrets it may rotate. */
  readonly secretNamePrefix: string;
  private readonly every: Duration;

  constructor(scope: Construct, id: string, props: ClientSecretRotationProps) {
    super(scope, id);
    this.every = props.every ?? Duration.days(BROKER_DEFAULTS.rotation.everyDays);
    this.secretNamePrefix = props.secretNamePrefix;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rotates broker consumers app-client secrets',
    });
    this.function = new NodeFunction(this, 'Function', {
      entry: path.join(__dirname, 'handlers', 'rotate-client-secret.ts'),
      description:
        'Office Zones broker: rotates app-client secrets with Cognito client-secret rotation',
      role,
      encryptionKey: props.logEncryptionKey,
      timeout: Duration.seconds(30),
      environment: { USER_POOL_ID: props.userPool.userPoolId },
    }).function;
    this.role = role;
    // Secrets Manager invokes the function for every secret on its schedule, only for secrets of
    // this account: AWS recommends aws:SourceAccount (not aws:SourceArn, which would tie the
    // function to one secret) against the confused deputy.
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
    this.function.addPermission('SecretsManagerInvoke', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      sourceAccount: Stack.of(this).account,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'cognito-idp:AddUserPoolClientSecret',
          'cognito-idp:ListUserPoolClientSecrets',
          'cognito-idp:DeleteUserPoolClientSecret',
        ],
        resources: [props.userPool.userPoolArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [
          Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${props.secretNamePrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.secretEncryptionKey.keyArn],
        conditions: { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } },
      }),
    );
  }

  /**
   * Puts a secret on the rotation schedule. The function may manage it when its name starts with
   * `secretNamePrefix`.
   * @throws Error when the secret's name is known and does not start with `secretNamePrefix`.
   */
  rotate(secret: secretsmanager.ISecret): void {
    const name = (secret.node.defaultChild as secretsmanager.CfnSecret | undefined)?.name;
    if (name !== undefined && !Token.isUnresolved(name) && !name.startsWith(this.secretNamePrefix))
      throw new Error(
        `${this.node.path}: cannot rotate the secret ${name}: the function manages only secrets named ${this.secretNamePrefix}*`,
      );
    // The function by reference, not the construct: given the construct, the schedule would add a
    // statement naming this secret to the function's role and a grant to its key, which puts the
    // secret's stack in this one's dependencies and grows the role with every secret. The role
    // names the secrets by prefix, and Secrets Manager's permission to invoke is granted once.
    const rotationFunction = lambda.Function.fromFunctionAttributes(secret, 'RotationFunction', {
      functionArn: this.function.functionArn,
      sameEnvironment: true,
      skipPermissions: true,
    });
    secret.addRotationSchedule('Rotation', {
      rotationLambda: rotationFunction,
      automaticallyAfter: this.every,
    });
  }
}
