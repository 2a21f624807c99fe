import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { findings, zonedApp } from '../fixtures';

const isolated = (scope: import('constructs').Construct) =>
  new ec2.Vpc(scope, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });

const ids = (app: import('aws-cdk-lib').App) => [...new Set(findings(app, 'B3').map((f) => f.id))];

describe('B3 BackOfficePublicDoor', () => {
  test('fails when a back-office security group is open to 0.0.0.0/0 or ::/0', () => {
    const { app, back } = zonedApp();
    const sg = new ec2.SecurityGroup(back, 'Sg', { vpc: isolated(back) });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    sg.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    expect(findings(app, 'B3')).toEqual([
      {
        id: 'OfficeZonesBoundary-B3[Ingress::0.0.0.0/0]',
        path: 'OfficeZones-test-BackOffice/Sg/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B3[Ingress::::/0]',
        path: 'OfficeZones-test-BackOffice/Sg/Resource',
      },
    ]);
  });

  test('fails when another stack opens a back-office security group with an ingress resource (L1)', () => {
    const { app, back, front } = zonedApp();
    const sg = new ec2.SecurityGroup(back, 'Sg', { vpc: isolated(back) });
    new ec2.CfnSecurityGroupIngress(front, 'Open', {
      groupId: sg.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      cidrIp: '0.0.0.0/0',
    });
    expect(findings(app, 'B3')).toEqual([
      {
        id: 'OfficeZonesBoundary-B3[Ingress::0.0.0.0/0]',
        path: 'OfficeZones-test-Product-shop/Open',
      },
    ]);
  });

  test('fails when the back office has an internet gateway, public subnets and routes', () => {
    const { app, back } = zonedApp();
    new ec2.Vpc(back, 'Vpc', { natGateways: 0, maxAzs: 1 });
    expect(ids(app)).toEqual(
      expect.arrayContaining([
        'OfficeZonesBoundary-B3[InternetGateway]',
        'OfficeZonesBoundary-B3[InternetGatewayAttachment]',
        'OfficeZonesBoundary-B3[PublicRoute]',
        'OfficeZonesBoundary-B3[PublicSubnet::MapPublicIpOnLaunch]',
        'OfficeZonesBoundary-B3[PublicSubnet::RouteToInternetGateway]',
      ]),
    );
  });

  test('fails when the back office has an internet-facing load balancer, a public bucket, a function URL without auth and an API of its own', () => {
    const { app, back } = zonedApp();
    const vpc = isolated(back);
    new elbv2.ApplicationLoadBalancer(back, 'Alb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnets: vpc.isolatedSubnets },
    });
    new s3.CfnBucket(back, 'RawBucket', {
      accessControl: 'PublicRead',
      publicAccessBlockConfiguration: { blockPublicAcls: false },
    });
    const fn = new lambda.Function(back, 'Fn', {
      runtime: lambda.Runtime.NODEJS_LATEST,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new apigw.RestApi(back, 'Api').root.addMethod('GET', new apigw.MockIntegration());
    expect(ids(app)).toEqual(
      expect.arrayContaining([
        'OfficeZonesBoundary-B3[InternetFacingLoadBalancer]',
        'OfficeZonesBoundary-B3[PublicBucket::BlockPublicAccess]',
        'OfficeZonesBoundary-B3[PublicBucket::PublicRead]',
        'OfficeZonesBoundary-B3[FunctionUrlAuthNone]',
        'OfficeZonesBoundary-B3[Api::AWS::Lambda::Url]',
        'OfficeZonesBoundary-B3[Api::AWS::ApiGateway::RestApi]',
      ]),
    );
  });

  test('passes an isolated back office: isolated subnets, ingress from a named group, a blocked bucket, an internal load balancer', () => {
    const { app, back, front } = zonedApp();
    const vpc = isolated(back);
    const sg = new ec2.SecurityGroup(back, 'Sg', { vpc });
    const peer = new ec2.SecurityGroup(back, 'Peer', { vpc });
    sg.addIngressRule(peer, ec2.Port.tcp(443));
    new elbv2.ApplicationLoadBalancer(back, 'Alb', {
      vpc,
      internetFacing: false,
      securityGroup: sg,
    });
    new s3.Bucket(back, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    // The front office may have doors of its own.
    new ec2.Vpc(front, 'Vpc', { natGateways: 0, maxAzs: 1 });
    expect(findings(app, 'B3')).toEqual([]);
  });
});
