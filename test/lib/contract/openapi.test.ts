import SwaggerParser from '@apidevtools/swagger-parser';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../../lib/blueprint';
import { Template } from 'aws-cdk-lib/assertions';
import { brokerOpenApi, toOpenApiSchema } from '../../../lib/contract/openapi';
import { buildReference } from '../../helpers';
import { synthesizedMethods } from '../../support/api-gateway-methods';

describe('brokerOpenApi', () => {
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const doc = brokerOpenApi(blueprint) as any;

  test('is a valid OpenAPI 3 document', async () => {
    const validated = (await SwaggerParser.validate(structuredClone(doc))) as any;
    expect(validated.openapi).toBe('3.0.3');
  });

  test('lists every route with the scope its operation needs', () => {
    const routes = Object.entries(doc.paths).flatMap(([path, methods]: [string, any]) =>
      Object.entries(methods).map(([method, op]: [string, any]) => [
        method.toUpperCase(),
        path,
        op.security[0].oauth2,
      ]),
    );
    expect(routes).toEqual([
      ['POST', '/orders', ['orders/write']],
      ['GET', '/orders/{orderId}', ['orders/read']],
      ['GET', '/catalog/items', ['catalog/read']],
    ]);
  });

  test('declares the client-credentials flow with the token URL and every scope, and the API key', () => {
    expect(doc.components.securitySchemes.oauth2.flows.clientCredentials).toEqual({
      tokenUrl: 'https://northwind-retail-dev.auth.eu-west-2.amazoncognito.com/oauth2/token',
      scopes: {
        'orders/read': 'read orders: get',
        'orders/write': 'write orders: submit',
        'catalog/read': 'read catalog: listItems',
      },
    });
    expect(doc.components.securitySchemes.apiKey).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });
  });

  test("states what the API does: each method's body model and its statuses", () => {
    const template = Template.fromStack(buildReference().stacks.broker).toJSON();
    for (const m of synthesizedMethods(template)) {
      const op = doc.paths[m.path][m.httpMethod.toLowerCase()];
      const model = m.requestModels['application/json'];
      expect(op.requestBody?.content['application/json'].schema).toEqual(
        model && toOpenApiSchema(model),
      );
      const statuses = [...m.methodResponses, ...m.integrationResponses.map((r) => r.StatusCode)];
      for (const status of statuses) expect(Object.keys(op.responses)).toContain(status);
    }
  });

  test('carries the command body schema and the honest answers', () => {
    const submit = doc.paths['/orders'].post;
    expect(submit.requestBody.content['application/json'].schema.required).toEqual([
      'orderId',
      'customerId',
      'currency',
      'lines',
    ]);
    expect(submit.requestBody.content['application/json'].schema.$schema).toBeUndefined();
    expect(Object.keys(submit.responses)).toEqual([
      '202',
      '400',
      '401',
      '403',
      '429',
      '500',
      '502',
    ]);
    expect(Object.keys(doc.paths['/orders/{orderId}'].get.responses)).toContain('404');
    expect(doc.paths['/catalog/items'].get.parameters).toEqual([
      { name: 'category', in: 'query', required: true, schema: { type: 'string' } },
    ]);
  });

  test('toOpenApiSchema drops draft-4 keywords OpenAPI does not know, keeping property names', () => {
    expect(
      toOpenApiSchema({
        $schema: 'x',
        type: 'object',
        properties: { id: { type: 'string' }, $schema: { type: 'string' } },
      }),
    ).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, $schema: { type: 'string' } },
    });
  });
});
