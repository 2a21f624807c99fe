import type { AssemblyResource } from '../assembly';
import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, keyPaths, slug, stacksOf } from './shared';

/**
 * Every REST API method with an AWS service integration and credentials: API Gateway assumes the
 * role (as `apigateway.amazonaws.com`, with no `aws:SourceAccount` or `aws:SourceArn`: AWS does
 * not document that API Gateway sends them when it assumes a credentials role), then calls the
 * service as that role. The call is read from the integration itself: the action from its URI,
 * its `X-Amz-Target` header or its form body's `Action=`, the queue from the URI path or a
 * `QueueUrl`, the table from the request template's `TableName`. SQS with a customer managed key
 * needs the sender's `kms:GenerateDataKey` and `kms:Decrypt`; DynamoDB needs `kms:Decrypt`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 */
export const apiGatewayIntegrations: AccessPathKind = {
  name: 'ApiGatewayIntegrations',
  description:
    'API Gateway assumes each integration role and makes its integration call, with the key where the service needs it.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    const assumed = new Set<string>();
    for (const m of asm.ofType('AWS::ApiGateway::Method')) {
      const integration = m.props.Integration;
      if (!integration?.Credentials || integration.Type !== 'AWS') continue;
      const roleArn = String(integration.Credentials);
      const role = ctx.role(roleArn);
      const roleSlug = slug(role?.name ?? roleArn.split('/').pop() ?? 'role');
      if (!assumed.has(roleArn)) {
        assumed.add(roleArn);
        out.push({
          id: `run.api-gateway.${roleSlug}.assume-role`,
          phase: 'run',
          expect: 'allow',
          kind: 'ApiGatewayIntegrations',
          description: `API Gateway assumes the integration role ${role?.name ?? roleArn}`,
          principal: { kind: 'service', service: 'apigateway.amazonaws.com' },
          action: 'sts:AssumeRole',
          resource: roleArn,
          stacks: stacksOf(m, role?.resource),
        });
      }
      const call = integrationCall(ctx, m);
      if (!call) continue;
      const op = slug(String(m.props.OperationName ?? `${m.props.HttpMethod}-${m.logicalId}`));
      const base = {
        id: `run.api-gateway.${roleSlug}.${op}`,
        phase: 'run' as const,
        expect: 'allow' as const,
        kind: 'ApiGatewayIntegrations',
        description: `API Gateway, as ${role?.name ?? roleArn}, calls ${call.action} for ${m.props.HttpMethod} (${m.props.OperationName ?? m.where})`,
        stacks: stacksOf(m, role?.resource, call.target),
      };
      out.push({
        ...base,
        principal: asRole(roleArn),
        action: call.action,
        resource: call.resource,
      });
      if (call.target)
        out.push(
          ...keyPaths(
            ctx,
            base,
            roleArn,
            call.service,
            encryptionKeyOf(ctx, call.target),
            call.keyActions,
          ),
        );
    }
    return out;
  },
};

interface Call {
  readonly service: string;
  readonly action: string;
  readonly resource: string;
  readonly target?: AssemblyResource;
  readonly keyActions: readonly string[];
}

/** SQS batch APIs are authorised by the single-message action. */
const SQS_AUTHORISED_AS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function integrationCall(ctx: AccessPathContext, m: AssemblyResource): Call | undefined {
  const asm = ctx.assembly;
  const integration = m.props.Integration;
  const uri = /^arn:[^:]+:apigateway:[^:]*:([a-z0-9-]+):(action|path)\/(.+)$/.exec(
    String(integration.Uri ?? ''),
  );
  if (!uri) return undefined;
  const [, service, form, rest] = uri;
  const templates = JSON.stringify(integration.RequestTemplates ?? {});
  const headers = integration.RequestParameters ?? {};
  if (service === 'sqs') {
    const target = String(headers['integration.request.header.X-Amz-Target'] ?? '').replace(
      /'/g,
      '',
    );
    const apiAction =
      /AmazonSQS\.(\w+)/.exec(target)?.[1] ??
      /AmazonSQS\.(\w+)/.exec(templates)?.[1] ??
      /Action=(\w+)/.exec(templates)?.[1] ??
      (form === 'action' ? rest.split('?')[0] : undefined);
    if (!apiAction) return undefined;
    // The queue is in the URI path (`path/<account>/<queue>`) or, with SQS's JSON protocol, in
    // the body's `QueueUrl`.
    const fromPath = form === 'path' ? rest.split('?')[0].split('/')[1] : undefined;
    const queueName =
      fromPath || /QueueUrl[^h]*(https:[^"&\\]+)/.exec(templates)?.[1]?.split('/').pop();
    const queue = asm.ofType('AWS::SQS::Queue').find((q) => asm.refOf(q).endsWith(`/${queueName}`));
    const action = `sqs:${SQS_AUTHORISED_AS[apiAction] ?? apiAction}`;
    return {
      service,
      action,
      resource: queue ? asm.arnOf(queue) : asm.arn('sqs', queueName ?? 'UNRESOLVED(queue)'),
      target: queue,
      keyActions:
        action === 'sqs:SendMessage' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
    };
  }
  if (service === 'dynamodb' && form === 'action') {
    const table = /\\"TableName\\":\\"([^\\"]+)\\"/.exec(templates)?.[1];
    // A table in another account is named by its ARN.
    const target = asm
      .ofType('AWS::DynamoDB::Table')
      .find((t) => asm.refOf(t) === table || asm.arnOf(t) === table);
    return {
      service,
      action: `dynamodb:${rest.split('?')[0]}`,
      resource: target
        ? asm.arnOf(target)
        : table?.startsWith('arn:')
          ? table
          : asm.arn('dynamodb', `table/${table ?? 'UNRESOLVED(table)'}`),
      target,
      keyActions: ['kms:Decrypt'],
    };
  }
  return undefined;
}
