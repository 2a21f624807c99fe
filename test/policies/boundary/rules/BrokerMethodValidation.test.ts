import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { findings, zonedApp } from '../fixtures';
import { brokerApi } from './broker-fixture';

describe('B6 BrokerMethodValidation', () => {
  test('fails when a broker method has no validator, or a body method has no body validation or model', () => {
    const { app, broker } = zonedApp();
    const { api, orders, guarded } = brokerApi(broker);
    orders.addMethod('GET', new apigw.MockIntegration(), {
      ...guarded,
      requestValidator: undefined,
    });
    const paramsOnly = new apigw.RequestValidator(broker, 'ParamsOnly', {
      restApi: api,
      validateRequestParameters: true,
    });
    orders.addResource('bulk').addMethod('PUT', new apigw.MockIntegration(), {
      ...guarded,
      requestValidator: paramsOnly,
      requestModels: undefined,
    });
    expect(findings(app, 'B6')).toEqual([
      {
        id: 'OfficeZonesBoundary-B6[Body]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/bulk/PUT/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B6[Model]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/bulk/PUT/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B6[RequestValidator]',
        path: 'OfficeZones-test-Broker/Api/Default/orders/GET/Resource',
      },
    ]);
  });

  test('fails for an L1 escape hatch that removes the validator of a method', () => {
    const { app, broker } = zonedApp();
    const { orders } = brokerApi(broker);
    (
      orders.node.findChild('POST').node.defaultChild as apigw.CfnMethod
    ).addPropertyDeletionOverride('RequestValidatorId');
    expect(findings(app, 'B6').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B6[RequestValidator]',
    ]);
  });

  test('passes validated methods with a body model', () => {
    const { app, broker } = zonedApp();
    brokerApi(broker);
    expect(findings(app, 'B6')).toEqual([]);
  });
});
