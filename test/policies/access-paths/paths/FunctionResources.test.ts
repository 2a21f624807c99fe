import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A back-office workflow told its ledger's name; `readOnly` grants it reads only. */
function workflowApp(readOnly: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'BackOffice');
  const table = new dynamodb.Table(stack, 'Ledger', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });
  const fn = new lambda.Function(stack, 'Workflow', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    environment: { LEDGER_TABLE: table.tableName },
  });
  if (readOnly) table.grantReadData(fn);
  else table.grantReadWriteData(fn);
  return app;
}

describe('FunctionResources', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(workflowApp(false), { BackOffice: 'back-office' });
    bad = await evaluate(workflowApp(true), { BackOffice: 'back-office' });
  });

  it('lets a workflow read and write the ledger its environment names', () => {
    expect(decisions(ofKind(good, 'FunctionResources'))).toEqual([
      'run.function.backoffice.workflow.ledger-table.getitem Allowed',
      'run.function.backoffice.workflow.ledger-table.putitem Allowed',
      'run.function.backoffice.workflow.ledger-table.updateitem Allowed',
    ]);
  });

  it('fails when the workflow may only read its ledger', () => {
    expect(decisions(ofKind(bad, 'FunctionResources').filter((p) => !p.pass))).toEqual([
      'run.function.backoffice.workflow.ledger-table.putitem ImplicitlyDenied',
      'run.function.backoffice.workflow.ledger-table.updateitem ImplicitlyDenied',
    ]);
  });
});
