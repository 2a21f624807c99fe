import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A catalogue ledger and its maintainer; `workflowOnly` gives the table a write deny that admits only a workflow. */
function catalogApp(workflowOnly: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'BackOffice');
  const table = new dynamodb.Table(stack, 'Catalog', {
    tableName: 'catalog-ledger',
    partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
  });
  const maintainer = new iam.Role(stack, 'Maintainer', {
    roleName: 'catalog-maintainer',
    assumedBy: new iam.AccountRootPrincipal(),
  });
  table.grantWriteData(maintainer);
  if (workflowOnly)
    table.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: ['*'],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/workflow' },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  return app;
}

describe('Maintainer', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    const over = {
      maintainers: [
        { capability: 'catalog', roleName: 'catalog-maintainer', tableNames: ['catalog-ledger'] },
      ],
    };
    good = await evaluate(catalogApp(false), { BackOffice: 'back-office' }, over);
    bad = await evaluate(catalogApp(true), { BackOffice: 'back-office' }, over);
  });

  it("lets a capability's maintainer write its ledger", () => {
    expect(decisions(ofKind(good, 'Maintainer'))).toEqual([
      'run.maintainer.catalog.catalog-ledger.putitem Allowed',
      'run.maintainer.catalog.catalog-ledger.updateitem Allowed',
      'run.maintainer.catalog.catalog-ledger.deleteitem Allowed',
      'run.maintainer.catalog.catalog-ledger.batchwriteitem Allowed',
    ]);
  });

  it('fails when the ledger admits no writer but the workflow', () => {
    expect(
      ofKind(bad, 'Maintainer').every((p) => p.decision === 'ExplicitlyDenied' && !p.pass),
    ).toBe(true);
    expect(ofKind(bad, 'Maintainer')).toHaveLength(4);
  });
});
