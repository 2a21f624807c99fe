import type { AssemblyResource } from '../assembly';
import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, idOf, stacksOf } from './shared';

/** What reaching a back-office resource means, per type: a read and a write of its data. */
const DATA_ACTIONS: Record<string, readonly string[]> = {
  'AWS::DynamoDB::Table': ['dynamodb:GetItem', 'dynamodb:PutItem'],
  'AWS::SQS::Queue': ['sqs:SendMessage', 'sqs:ReceiveMessage'],
  'AWS::KMS::Key': ['kms:Decrypt'],
  'AWS::SNS::Topic': ['sns:Publish'],
  'AWS::SecretsManager::Secret': ['secretsmanager:GetSecretValue'],
};

/**
 * The only door: no front-office role reaches any back-office resource, and no principal outside
 * the back office other than the broker's integration roles reaches back-office data, even when
 * an identity policy grants it (a role in an IT stack granted a ledger read): the back office's
 * resource policies and the front office's permission boundary must deny it.
 */
export const zoneIsolation: AccessPathKind = {
  name: 'ZoneIsolation',
  description:
    'No role outside the back office, except the broker integration roles, reaches back-office resources.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const targets = asm.resources.filter(
      (r) => r.stack.zone === 'back-office' && DATA_ACTIONS[r.type],
    );
    const integration = new Set(ctx.settings.integrationRoleNames.map((n) => asm.roleArn(n)));
    const out: AccessPath[] = [];
    for (const role of ctx.roles()) {
      if (!role.resource || role.zone === 'back-office' || integration.has(role.arn)) continue;
      for (const target of targets)
        out.push(...denyAll(ctx, role.arn, role.resource, target, role.zone === 'front-office'));
    }
    return out;
  },
};

function denyAll(
  ctx: AccessPathContext,
  arn: string,
  role: AssemblyResource,
  target: AssemblyResource,
  front: boolean,
): AccessPath[] {
  return DATA_ACTIONS[target.type].map((action) => ({
    id: `deny.${front ? 'front-office' : 'outside-back-office'}.${idOf(ctx, role)}.${idOf(ctx, target)}.${action.split(':')[1].toLowerCase()}`,
    phase: 'run' as const,
    expect: 'deny' as const,
    kind: 'ZoneIsolation',
    description: `${role.where} (${role.stack.zone ?? 'no zone'}) cannot ${action} on ${target.where}`,
    principal: asRole(arn),
    action,
    resource: ctx.assembly.arnOf(target),
    stacks: stacksOf(role, target),
  }));
}
