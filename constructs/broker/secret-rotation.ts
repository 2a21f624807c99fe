import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { NodeFunction } from '../shared/node-function';

export interface ClientSecretRotationProps {
  readonly userPool: cognito.IUserPool;
  /** The key that encrypts the secrets it rotates. */
  readonly key: kms.IKey;
  /** Encrypts the function's logs. */
  readonly logKey?: kms.IKey;
  /** @default Duration.days(30) */
  readonly every?: Duration;
}

/**
 * Rotates consumers' app-client secrets on a schedule with Cognito's client-secret rotation (see
 * `handlers/rotate-client-secret.ts`): the new secret is added, the previous one stays valid until
 * the next rotation, so a consumer never loses access mid-flight.
 *
 * Default settings: every 30 days; the function may manage the secrets of this user pool's
 * clients and the secrets it was given, nothing else.
 */
export class ClientSecretRotation extends Construct {
  readonly function: NodeFunction;
  readonly role: iam.Role;
  private readonly every: Duration;

  constructor(scope: Construct, id: string, props: ClientSecretRotationProps) {
    super(scope, id);
    this.every = props.every ?? Duration.days(30);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rotates broker consumers app-client secrets',
    });
    this.function = new NodeFunction(this, 'Function', {
      entry: path.join(__dirname, 'handlers', 'rotate-client-secret.ts'),
      description:
        'Office Zones broker: rotates app-client secrets with Cognito client-secret rotation',
      role: this.role,
      logKey: props.logKey,
      timeout: Duration.seconds(30),
      environment: { USER_POOL_ID: props.userPool.userPoolId },
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'cognito-idp:AddUserPoolClientSecret',
          'cognito-idp:ListUserPoolClientSecrets',
          'cognito-idp:DeleteUserPoolClientSecret',
        ],
        resources: [props.userPool.userPoolArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } },
      }),
    );
  }

  /** Puts a secret on the rotation schedule and lets the function manage it, and only it. */
  rotate(secret: secretsmanager.Secret): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [secret.secretArn],
      }),
    );
    new secretsmanager.RotationSchedule(secret, 'Rotation', {
      secret,
      rotationLambda: this.function,
      automaticallyAfter: this.every,
    });
  }
}
