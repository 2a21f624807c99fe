import type { IntegrationResponse } from './api-gateway-vtl';

/**
 * The REST API methods of a synthesized template, with what API Gateway would run for each: the
 * integration's request templates, headers and responses, and the method's declared responses.
 * Deploy-time values (references, imports, stack outputs) are replaced by plausible stand-ins of
 * the same kind, so the templates can be rendered.
 */
export interface SynthesizedMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  /** The resource path, e.g. `/orders/{orderId}`. */
  readonly path: string;
  /** The integration's URI, e.g. `arn:aws:apigateway:eu-west-2:sqs:path//`. */
  readonly uri: string;
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly integrationResponses: readonly IntegrationResponse[];
  /** Status codes of the method responses. */
  readonly methodResponses: readonly string[];
  /** The body model's schema, by content type. */
  readonly requestModels: Readonly<Record<string, Record<string, unknown>>>;
}

/** Stand-ins for deploy-time values. */
export const DEPLOY_TIME = {
  account: '123456789012',
  region: 'eu-west-2',
  queueUrl: 'https://sqs.eu-west-2.amazonaws.com/123456789012/OfficeZones-dev-orders-intake',
  tableName: 'OfficeZones-dev-orders-ledger',
} as const;

type Json = any;

/** A CloudFormation value with every intrinsic replaced by a stand-in string. */
export function standIn(value: Json): Json {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(standIn);
  const [key] = Object.keys(value);
  const arg = value[key];
  switch (key) {
    case 'Fn::Join':
      return (arg[1] as Json[]).map(standIn).join(arg[0]);
    case 'Ref':
      if (arg === 'AWS::AccountId') return DEPLOY_TIME.account;
      if (arg === 'AWS::Region') return DEPLOY_TIME.region;
      if (arg === 'AWS::Partition') return 'aws';
      if (arg === 'AWS::URLSuffix') return 'amazonaws.com';
      return `ref-${arg}`;
    case 'Fn::GetAtt':
      return `${[].concat(arg).join('-')}`;
    case 'Fn::ImportValue':
    case 'Fn::GetStackOutput': {
      const name = JSON.stringify(arg);
      if (/Queue/i.test(name)) return DEPLOY_TIME.queueUrl;
      if (/Ledger|Table/i.test(name)) return DEPLOY_TIME.tableName;
      return 'imported-value';
    }
    default:
      if (key.startsWith('Fn::')) throw new Error(`no stand-in for ${key}`);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, standIn(v)]));
  }
}

/** Every method with an integration in a template (`Template.toJSON()`). */
export function synthesizedMethods(template: Json): SynthesizedMethod[] {
  const resources: Record<string, Json> = template.Resources ?? {};
  const pathOf = (resourceId: Json): string => {
    if (resourceId && typeof resourceId === 'object' && 'Fn::GetAtt' in resourceId) return '';
    const logicalId = resourceId?.Ref;
    const resource = resources[logicalId];
    if (!resource || resource.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const modelSchema = (ref: Json) => {
    const model = resources[ref?.Ref];
    return model?.Properties?.Schema as Record<string, unknown>;
  };
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.Integration)
    .map(([logicalId, r]) => {
      const p = r.Properties;
      const integration = standIn(p.Integration);
      return {
        logicalId,
        httpMethod: p.HttpMethod,
        path: pathOf(p.ResourceId) || '/',
        uri: integration.Uri,
        requestTemplates: integration.RequestTemplates ?? {},
        requestParameters: integration.RequestParameters ?? {},
        integrationResponses: integration.IntegrationResponses ?? [],
        methodResponses: (p.MethodResponses ?? []).map((m: Json) => m.StatusCode),
        requestModels: Object.fromEntries(
          Object.entries(p.RequestModels ?? {}).map(([type, ref]) => [type, modelSchema(ref)]),
        ),
      };
    });
}

/** Every gateway response's templates, by response type. */
export function gatewayResponses(template: Json): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.values<Json>(template.Resources ?? {})
      .filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse')
      .map((r) => [r.Properties.ResponseType, standIn(r.Properties.ResponseTemplates ?? {})]),
  );
}
