import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { findings, zonedApp } from '../fixtures';
import { brokerApi } from './broker-fixture';

describe('B5 BrokerMethodAuthorizer', () => {
  test('fails when a broker method has no authorizer, or an authorizer without scopes', () => {
    const { app, broker } = zonedApp();
    const { orders, authorizer } = brokerApi(broker);
    orders.addMethod('GET', new apigw.MockIntegration());
    orders.addResource('{id}').addMethod('GET', new apigw.MockIntegration(), {
      authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
    });
    expect(findings(app, 'B5')).toEqual([
      {
        id: 'OfficeZonesBoundary-B5[Authorizer::NONE]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/GET/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B5[Scopes]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/GET/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B5[Scopes]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/{id}/GET/Resource',
      },
    ]);
  });

  test('fails for an L1 escape hatch that switches a guarded method to IAM auth', () => {
    const { app, broker } = zonedApp();
    const { orders } = brokerApi(broker);
    const post = orders.node.findChild('POST').node.defaultChild as apigw.CfnMethod;
    post.addPropertyOverride('AuthorizationType', 'AWS_IAM');
    expect(findings(app, 'B5').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B5[Authorizer::AWS_IAM]',
    ]);
  });

  test('passes Cognito-guarded methods with scopes, CORS preflight, and unguarded methods outside the broker', () => {
    const { app, broker, front } = zonedApp();
    brokerApi(broker);
    new apigw.RestApi(front, 'ProductApi').root.addMethod('GET', new apigw.MockIntegration());
    expect(findings(app, 'B5')).toEqual([]);
  });
});
