import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** A small broker-like REST API: a Cognito authorizer, a validator and a web ACL on the stage. */
export function brokerApi(scope: Construct, options: { waf?: boolean } = {}) {
  const pool = new cognito.UserPool(scope, 'Pool');
  const api = new apigw.RestApi(scope, 'Api');
  const authorizer = new apigw.CognitoUserPoolsAuthorizer(scope, 'Authorizer', {
    cognitoUserPools: [pool],
  });
  const validator = new apigw.RequestValidator(scope, 'Validator', {
    restApi: api,
    validateRequestBody: true,
    validateRequestParameters: true,
  });
  const model = api.addModel('Order', {
    contentType: 'application/json',
    schema: { type: apigw.JsonSchemaType.OBJECT },
  });
  const guarded: apigw.MethodOptions = {
    authorizer,
    authorizationType: apigw.AuthorizationType.COGNITO,
    authorizationScopes: ['orders/write'],
    requestValidator: validator,
    requestModels: { 'application/json': model },
  };
  const orders = api.root.addResource('orders');
  orders.addMethod('POST', new apigw.MockIntegration(), guarded);
  orders.addCorsPreflight({ allowOrigins: ['https://shop.example'] });
  if (options.waf ?? true) {
    const acl = new wafv2.CfnWebACL(scope, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'acl',
        sampledRequestsEnabled: true,
      },
    });
    new wafv2.CfnWebACLAssociation(scope, 'AclAssociation', {
      resourceArn: api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
  }
  return { api, orders, authorizer, validator, model, guarded };
}
