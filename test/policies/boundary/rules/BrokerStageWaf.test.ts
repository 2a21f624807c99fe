import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { findings, zonedApp } from '../fixtures';
import { brokerApi } from './broker-fixture';

describe('B7 BrokerStageWaf', () => {
  test('fails when a broker stage has no web ACL association', () => {
    const { app, broker } = zonedApp();
    brokerApi(broker, { waf: false });
    expect(findings(app, 'B7')).toEqual([
      {
        id: 'OfficeZonesBoundary-B7[WebAcl]',
        path: 'OfficeZones-test-Broker/Api/DeploymentStage.prod/Resource',
      },
    ]);
  });

  test('fails when a second stage is added without WAF (L1 stage)', () => {
    const { app, broker } = zonedApp();
    const { api } = brokerApi(broker);
    new apigw.CfnStage(broker, 'Canary', {
      restApiId: api.restApiId,
      stageName: 'canary',
      deploymentId: api.latestDeployment!.deploymentId,
    });
    expect(findings(app, 'B7').map((f) => f.path)).toEqual(['OfficeZones-test-Broker/Canary']);
  });

  test('passes a stage associated with a web ACL, also by a literal stage ARN', () => {
    const { app, broker } = zonedApp();
    const { api } = brokerApi(broker);
    const stage = new apigw.CfnStage(broker, 'Canary', {
      restApiId: api.restApiId,
      stageName: 'canary',
      deploymentId: api.latestDeployment!.deploymentId,
    });
    new wafv2.CfnWebACLAssociation(broker, 'CanaryAcl', {
      resourceArn: `arn:aws:apigateway:eu-west-1::/restapis/${api.restApiId}/stages/canary`,
      webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/1',
    });
    expect(stage.stageName).toBe('canary');
    expect(findings(app, 'B7')).toEqual([]);
  });
});
