import { Fn } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { findings, INTEGRATION_ROLE, PROPS, zonedApp } from '../fixtures';

function ledger(scope: import('constructs').Construct) {
  return new dynamodb.Table(scope, 'Ledger', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
}

function fn(scope: import('constructs').Construct, id = 'Fn') {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
  });
}

describe('B1 CrossZoneGrant', () => {
  test('fails when a front-office function is granted read on a back-office ledger (cross-stack reference)', () => {
    const { app, front, back } = zonedApp();
    ledger(back).grantReadData(fn(front));
    expect(findings(app, 'B1')).toEqual([
      {
        id: expect.stringMatching(
          /^OfficeZonesBoundary-B1\[OfficeZones-test-BackOffice\/Ledger[0-9A-F]+\]$/,
        ),
        path: 'OfficeZones-test-Product-shop/Fn/ServiceRole/DefaultPolicy/Resource',
      },
    ]);
  });

  test('fails when the grant names the ledger by an imported ARN that carries the back-office stack name', () => {
    const { app, front } = zonedApp();
    const imported = dynamodb.Table.fromTableArn(
      front,
      'Imported',
      'arn:aws:dynamodb:eu-west-1:111122223333:table/OfficeZones-test-BackOffice-LedgerA1B2C3-XYZ',
    );
    imported.grantReadData(fn(front));
    expect(findings(app, 'B1').map((f) => f.path)).toEqual([
      'OfficeZones-test-Product-shop/Fn/ServiceRole/DefaultPolicy/Resource',
    ]);
  });

  test('fails when a wildcard ARN or "*" covers back-office tables, and names the service', () => {
    const { app, front, back } = zonedApp();
    ledger(back);
    const f = fn(front);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:*:*:table/*'],
      }),
    );
    f.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: ['*'] }));
    expect(findings(app, 'B1').map((x) => x.id)).toEqual([
      'OfficeZonesBoundary-B1[*:dynamodb]',
      'OfficeZonesBoundary-B1[arn:aws:dynamodb:*:*:table/*]',
    ]);
  });

  test('fails for an L1 escape hatch: a raw AWS::IAM::Policy in the front office with a literal back-office ARN', () => {
    const { app, front, back } = zonedApp();
    ledger(back);
    const role = new iam.Role(front, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    new iam.CfnPolicy(front, 'Raw', {
      policyName: 'raw',
      roles: [role.roleName],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: Fn.join('', [
              'arn:',
              Fn.ref('AWS::Partition'),
              ':dynamodb:eu-west-1:1:table/OfficeZones-test-BackOffice-Ledger-1',
            ]),
          },
        ],
      },
    });
    expect(findings(app, 'B1').map((x) => x.path)).toEqual(['OfficeZones-test-Product-shop/Raw']);
  });

  test('fails when a back-office stack grants to a front-office role imported by name', () => {
    const { app, front, back } = zonedApp();
    new iam.Role(front, 'Runtime', {
      roleName: 'OfficeZones-test-product-shop-runtime',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const imported = iam.Role.fromRoleName(
      back,
      'ShopRuntime',
      'OfficeZones-test-product-shop-runtime',
    );
    ledger(back).grantReadData(imported);
    expect(findings(app, 'B1').map((x) => x.path)).toEqual([
      expect.stringMatching(/^OfficeZones-test-BackOffice\/ShopRuntime\/Policy\w*\/Resource$/),
    ]);
  });

  test('passes grants inside the front office, grants outside data services, and back-office grants to back-office roles', () => {
    const { app, front, back } = zonedApp();
    const own = ledger(front);
    const f = fn(front);
    own.grantReadData(f);
    f.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }),
    );
    f.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:*:*:table/OfficeZones-test-Product-shop-*'],
      }),
    );
    ledger(back).grantReadData(fn(back, 'BackFn'));
    expect(findings(app, 'B1')).toEqual([]);
  });
});

describe('B1 principals of IT outside the back office', () => {
  const role = (scope: import('constructs').Construct, id: string, roleName?: string) =>
    new iam.Role(scope, id, {
      roleName,
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });

  test('fails when a role in the broker stack that is not an integration role is granted a ledger read', () => {
    const { app, back, broker } = zonedApp();
    ledger(back).grantReadData(role(broker, 'Extra'));
    expect(findings(app, 'B1')).toEqual([
      {
        id: expect.stringMatching(
          /^OfficeZonesBoundary-B1\[OfficeZones-test-BackOffice\/Ledger[0-9A-F]+\]$/,
        ),
        path: 'OfficeZones-test-Broker/Extra/DefaultPolicy/Resource',
      },
    ]);
  });

  test('fails for an L1 escape hatch: a raw policy in an IT stack with a literal ledger ARN, and a role outside the blueprint', () => {
    const { app, back, broker, outside } = zonedApp();
    new dynamodb.Table(back, 'Named', {
      tableName: 'OfficeZones-test-orders-ledger',
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    const reader = role(broker, 'Reader');
    new iam.CfnPolicy(broker, 'Raw', {
      policyName: 'raw',
      roles: [reader.roleName],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:Query',
            Resource: 'arn:aws:dynamodb:eu-west-1:1:table/OfficeZones-test-orders-ledger',
          },
        ],
      },
    });
    role(outside, 'Script').addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:*:*:table/OfficeZones-test-orders-*'],
      }),
    );
    expect(findings(app, 'B1')).toEqual([
      {
        id: 'OfficeZonesBoundary-B1[arn:aws:dynamodb:*:*:table/OfficeZones-test-orders-*]',
        path: 'Elsewhere/Script/DefaultPolicy/Resource',
      },
      {
        id: 'OfficeZonesBoundary-B1[arn:aws:dynamodb:eu-west-1:1:table/OfficeZones-test-orders-ledger]',
        path: 'OfficeZones-test-Broker/Raw',
      },
    ]);
  });

  test('fails when a role in an IT stack attaches a managed policy that reaches the back office, or a back-office policy names a role it does not know', () => {
    const { app, back, broker } = zonedApp();
    const table = ledger(back);
    const managed = new iam.ManagedPolicy(broker, 'Reading', {
      statements: [
        new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn] }),
      ],
    });
    role(broker, 'Holder').addManagedPolicy(managed);
    table.grantReadData(iam.Role.fromRoleName(back, 'Stranger', 'it-reporting'));
    expect(findings(app, 'B1').map((f) => f.path)).toEqual([
      expect.stringMatching(/^OfficeZones-test-BackOffice\/Stranger\/Policy\w*\/Resource$/),
      'OfficeZones-test-Broker/Reading/Resource',
    ]);
  });

  test("passes the broker's integration role, back-office roles, and a managed policy no principal of the app holds (a permission boundary)", () => {
    const { app, back, broker } = zonedApp();
    const table = ledger(back);
    table.grantReadData(role(broker, 'Integration', INTEGRATION_ROLE));
    table.grantReadWriteData(role(back, 'Maintainer', 'OfficeZones-test-back-office-x-maintainer'));
    table.grantReadData(iam.Role.fromRoleName(back, 'ByName', INTEGRATION_ROLE));
    new iam.ManagedPolicy(broker, 'Boundary', {
      statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
    });
    expect(findings(app, 'B1')).toEqual([]);
  });
});

describe('B1 wildcards', () => {
  const withParameterGrant = (resource: string) => {
    const { app, front, back } = zonedApp();
    new ssm.StringParameter(back, 'Ledger', {
      parameterName: '/office-zones/test/back-office/ledger',
      stringValue: 'x',
    });
    fn(front).addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [resource] }),
    );
    return findings(app, 'B1').map((x) => x.id);
  };

  test('fails when a parameter wildcard covers a back-office parameter', () => {
    expect(withParameterGrant('arn:aws:ssm:*:*:parameter/office-zones/test/*')).toEqual([
      'OfficeZonesBoundary-B1[arn:aws:ssm:*:*:parameter/office-zones/test/*]',
    ]);
  });

  test('fails when a key ARN read at deploy time from any parameter could be a back-office key, passes one the broker publishes', () => {
    const decryptWithKeyFrom = (parameterName: string) => {
      const { app, front, back } = zonedApp();
      new kms.Key(back, 'ZoneKey');
      fn(front).addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [ssm.StringParameter.valueForStringParameter(front, parameterName)],
        }),
      );
      return findings(app, 'B1', {
        ...PROPS,
        publishedParameterPrefixes: ['/office-zones/test/broker/'],
      }).map((x) => x.id);
    };
    expect(decryptWithKeyFrom('/office-zones/test/elsewhere/key-arn')).toEqual([
      'OfficeZonesBoundary-B1[*:kms]',
    ]);
    expect(decryptWithKeyFrom('/office-zones/test/broker/credentials-key-arn')).toEqual([]);
  });

  test('passes a parameter wildcard that covers only the broker', () => {
    expect(withParameterGrant('arn:aws:ssm:*:*:parameter/office-zones/test/broker/*')).toEqual([]);
  });
});

describe('B1 CrossZoneGrant across accounts (DEC-036)', () => {
  const accounts = {
    back: '310000000001',
    broker: '310000000002',
    front: '310000000003',
    outside: '200000000009',
  };
  const grantAll = (scope: import('constructs').Construct, resources: string[]) => {
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources }));
  };

  test('a wildcard or an own-account ARN in another account than the back office reaches nothing there', () => {
    const { app, back, outside, front } = zonedApp(accounts);
    new kms.Key(back, 'Key');
    grantAll(outside, ['*']);
    grantAll(front, ['arn:aws:kms:eu-west-2:310000000003:key/*']);
    expect(findings(app, 'B1')).toEqual([]);
  });

  test("fails when a grant names the back office's account, or when the back office shares the account", () => {
    const { app, back, front } = zonedApp(accounts);
    new kms.Key(back, 'Key');
    grantAll(front, ['arn:aws:kms:eu-west-2:310000000001:key/*']);
    expect(findings(app, 'B1').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B1[arn:aws:kms:eu-west-2:310000000001:key/*]',
    ]);
    const same = zonedApp({ back: '310000000001', front: '310000000001' });
    new kms.Key(same.back, 'Key');
    grantAll(same.front, ['*']);
    expect(findings(same.app, 'B1').map((f) => f.id)).toEqual(['OfficeZonesBoundary-B1[*:kms]']);
  });
});
