import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

const LEDGER_ARN = 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-ledger';

/**
 * A ledger in the back office, an IT role (not the broker) and a product role both granted a read
 * of it by literal ARN; `guarded` gives the ledger the back office's deny for every principal but
 * the broker's integration role.
 */
function zonesApp(guarded: boolean) {
  const app = newApp();
  const back = new Stack(app, 'BackOffice');
  const table = new dynamodb.Table(back, 'Ledger', {
    tableName: 'orders-ledger',
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });
  if (guarded)
    table.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['dynamodb:*'],
        resources: ['*'],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/broker-orders' },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  for (const [stackId, roleId] of [
    ['It', 'Reporting'],
    ['Shop', 'Runtime'],
  ]) {
    const stack = new Stack(app, stackId);
    const role = new iam.Role(stack, roleId, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [LEDGER_ARN],
      }),
    );
  }
  return app;
}

describe('ZoneIsolation', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    const zones = {
      BackOffice: 'back-office' as const,
      It: 'integration' as const,
      Shop: 'front-office' as const,
    };
    const over = { integrationRoleNames: ['broker-orders'] };
    good = await evaluate(zonesApp(true), zones, over);
    bad = await evaluate(zonesApp(false), zones, over);
  });

  it('denies a non-broker IT role and a front-office role the ledger even when a policy grants it', () => {
    expect(decisions(ofKind(good, 'ZoneIsolation'))).toEqual([
      'deny.outside-back-office.it.reporting.backoffice.ledger.getitem ExplicitlyDenied',
      'deny.outside-back-office.it.reporting.backoffice.ledger.putitem ExplicitlyDenied',
      'deny.front-office.shop.runtime.backoffice.ledger.getitem ExplicitlyDenied',
      'deny.front-office.shop.runtime.backoffice.ledger.putitem ExplicitlyDenied',
    ]);
  });

  it('fails when the ledger has no resource policy to stop them', () => {
    expect(decisions(ofKind(bad, 'ZoneIsolation').filter((p) => !p.pass))).toEqual([
      'deny.outside-back-office.it.reporting.backoffice.ledger.getitem Allowed',
      'deny.outside-back-office.it.reporting.backoffice.ledger.putitem Allowed',
      'deny.front-office.shop.runtime.backoffice.ledger.getitem Allowed',
      'deny.front-office.shop.runtime.backoffice.ledger.putitem Allowed',
    ]);
  });
});
