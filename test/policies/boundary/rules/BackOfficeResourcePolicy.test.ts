import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { findings, INTEGRATION_ROLE, PROPS, zonedApp } from '../fixtures';

const allow = (principal: iam.IPrincipal, conditions?: Record<string, unknown>) =>
  new iam.PolicyStatement({
    actions: ['sqs:SendMessage'],
    resources: ['*'],
    principals: [principal],
    conditions,
  });

describe('B4 BackOfficeResourcePolicy', () => {
  test('fails when a back-office queue policy admits anyone, another account or a front-office role', () => {
    const { app, back, front } = zonedApp();
    const queue = new sqs.Queue(back, 'Intake');
    queue.addToResourcePolicy(allow(new iam.AnyPrincipal()));
    queue.addToResourcePolicy(allow(new iam.AccountPrincipal('111122223333')));
    queue.addToResourcePolicy(
      allow(
        new iam.ArnPrincipal(
          `arn:aws:iam::${back.account}:role/OfficeZones-test-product-shop-runtime`,
        ),
      ),
    );
    const runtime = new iam.Role(front, 'Runtime', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    queue.addToResourcePolicy(allow(new iam.ArnPrincipal(runtime.roleArn)));
    expect(findings(app, 'B4').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B4[Principal::*]',
      expect.stringMatching(
        /^OfficeZonesBoundary-B4\[Principal::OfficeZones-test-Product-shop\/Runtime[0-9A-F]{8}\]$/,
      ),
      'OfficeZonesBoundary-B4[Principal::arn:${AWS::Partition}:iam::111122223333:root]',
      'OfficeZonesBoundary-B4[Principal::arn:aws:iam::${AWS::AccountId}:role/OfficeZones-test-product-shop-runtime]',
    ]);
  });

  test('fails when a service principal is not tied to this account or a resource, and for a raw L1 lambda permission', () => {
    const { app, back } = zonedApp();
    const queue = new sqs.Queue(back, 'Intake');
    queue.addToResourcePolicy(allow(new iam.ServicePrincipal('sns.amazonaws.com')));
    new lambda.CfnPermission(back, 'Invoke', {
      action: 'lambda:InvokeFunction',
      functionName: 'some-function',
      principal: '111122223333',
    });
    expect(findings(app, 'B4')).toEqual([
      {
        id: 'OfficeZonesBoundary-B4[Principal::111122223333]',
        path: 'OfficeZones-test-BackOffice/Invoke',
      },
      {
        id: 'OfficeZonesBoundary-B4[Service::sns.amazonaws.com]',
        path: 'OfficeZones-test-BackOffice/Intake/Policy/Resource',
      },
    ]);
  });

  test('passes back-office roles, the broker integration role, the own account and scoped services', () => {
    const { app, back, broker } = zonedApp();
    const queue = new sqs.Queue(back, 'Intake', { enforceSSL: true });
    const worker = new iam.Role(back, 'Worker', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    queue.addToResourcePolicy(allow(worker));
    queue.addToResourcePolicy(allow(iam.Role.fromRoleName(back, 'Integration', INTEGRATION_ROLE)));
    new iam.Role(broker, 'IntegrationRole', {
      roleName: INTEGRATION_ROLE,
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });
    queue.addToResourcePolicy(
      allow(new iam.ServicePrincipal('sns.amazonaws.com'), {
        ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:1:t' },
      }),
    );
    new kms.Key(back, 'Key');
    expect(findings(app, 'B4')).toEqual([]);
  });

  test('passes a back-office role that the principals the blueprint declares for it may assume', () => {
    const { app, back } = zonedApp();
    new iam.Role(back, 'Maintainer', {
      roleName: 'OfficeZones-test-back-office-catalog-maintainer',
      assumedBy: new iam.CompositePrincipal(
        new iam.AccountPrincipal('444455556666'),
        new iam.ArnPrincipal('arn:aws:iam::444455556666:role/editors'),
      ),
    });
    expect(
      findings(app, 'B4', {
        ...PROPS,
        declaredAssumers: {
          'OfficeZones-test-back-office-catalog-maintainer': [
            'arn:aws:iam::444455556666:root',
            'arn:aws:iam::444455556666:role/editors',
          ],
        },
      }),
    ).toEqual([]);
  });

  test('fails when a back-office role may be assumed by principals the blueprint declares for another role, or declares for none', () => {
    const { app, back } = zonedApp();
    new iam.Role(back, 'Operator', {
      roleName: 'OfficeZones-test-back-office-operator',
      assumedBy: new iam.AccountPrincipal('444455556666'),
    });
    const declared = {
      'OfficeZones-test-back-office-catalog-maintainer': ['arn:aws:iam::444455556666:root'],
    };
    const expected = [
      {
        id: 'OfficeZonesBoundary-B4[Principal::arn:${AWS::Partition}:iam::444455556666:root]',
        path: 'OfficeZones-test-BackOffice/Operator/Resource',
      },
    ];
    expect(findings(app, 'B4', { ...PROPS, declaredAssumers: declared })).toEqual(expected);
    expect(findings(app, 'B4')).toEqual(expected);
  });
});

describe('B4 BackOfficeResourcePolicy across accounts (DEC-036)', () => {
  const accounts = { back: '310000000001', broker: '310000000002', front: '310000000003' };
  const props = { ...PROPS, integrationAccounts: { '310000000001': '310000000002' } };
  const fromAccount = (account: string, roleArn: string) =>
    allow(new iam.AccountPrincipal(account), { ArnEquals: { 'aws:PrincipalArn': roleArn } });

  test('admits the own account by its id, and the integration account only for its integration roles', () => {
    const { app, back } = zonedApp(accounts);
    const queue = new sqs.Queue(back, 'Intake');
    queue.addToResourcePolicy(allow(new iam.AccountPrincipal('310000000001')));
    queue.addToResourcePolicy(
      fromAccount('310000000002', `arn:aws:iam::310000000002:role/${INTEGRATION_ROLE}`),
    );
    expect(findings(app, 'B4', props)).toEqual([]);
  });

  test('fails when another account is admitted: the front office, the integration account for another role or without naming one, or an unknown back office', () => {
    const { app, back } = zonedApp(accounts);
    const queue = new sqs.Queue(back, 'Intake');
    queue.addToResourcePolicy(
      fromAccount('310000000003', `arn:aws:iam::310000000003:role/${INTEGRATION_ROLE}`),
    );
    queue.addToResourcePolicy(
      fromAccount(
        '310000000002',
        'arn:aws:iam::310000000002:role/OfficeZones-test-broker-rotation',
      ),
    );
    queue.addToResourcePolicy(fromAccount('310000000002', 'arn:aws:iam::310000000002:role/*'));
    queue.addToResourcePolicy(allow(new iam.AccountPrincipal('310000000002')));
    const found = findings(app, 'B4', props).map((f) => f.id);
    expect(found).toEqual([
      'OfficeZonesBoundary-B4[Principal::arn:aws:iam::310000000002:root]',
      'OfficeZonesBoundary-B4[Principal::arn:aws:iam::310000000003:root]',
    ]);
    // Without integrationAccounts, even the right role of the integration account is refused.
    const { app: bare, back: bareBack } = zonedApp(accounts);
    new sqs.Queue(bareBack, 'Intake').addToResourcePolicy(
      fromAccount('310000000002', `arn:aws:iam::310000000002:role/${INTEGRATION_ROLE}`),
    );
    expect(findings(bare, 'B4').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B4[Principal::arn:aws:iam::310000000002:root]',
    ]);
  });
});
