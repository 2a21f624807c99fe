import { Template } from 'aws-cdk-lib/assertions';
import { buildReference, referenceInput } from '../../helpers';

/** The stack the back-office budgets are in: the back-office operations stack (DEC-033). */
function operationsOf(input = referenceInput()) {
  return buildReference(input).stacks.backOfficeOperations;
}

describe('back-office budgets', () => {
  test('one monthly budget per back-office cost centre, on the cost-centre tag, attributed to it', () => {
    const template = Template.fromStack(operationsOf());
    const budgets = Object.values<any>(template.findResources('AWS::Budgets::Budget')).map((b) => ({
      name: b.Properties.Budget.BudgetName,
      usd: b.Properties.Budget.BudgetLimit.Amount,
      filter: b.Properties.Budget.CostFilters.TagKeyValue,
      alerted: b.Properties.NotificationsWithSubscribers.map((n: any) => [
        n.Notification.NotificationType,
        n.Notification.Threshold,
        n.Subscribers.map((s: any) => s.Address).join(' '),
      ]),
      costCentreTag: b.Properties.ResourceTags.find((t: any) => t.Key === 'CostCentre').Value,
    }));
    expect(budgets).toEqual([
      {
        name: 'OfficeZones-dev-back-office-CC-1000',
        usd: 500,
        filter: ['user:CostCentre$CC-1000'],
        alerted: [
          ['ACTUAL', 80, 'it-back-office@northwind.example'],
          ['FORECASTED', 100, 'it-back-office@northwind.example'],
        ],
        costCentreTag: 'CC-1000',
      },
      {
        name: 'OfficeZones-dev-back-office-CC-1100',
        usd: 2500,
        filter: ['user:CostCentre$CC-1100'],
        alerted: [
          ['ACTUAL', 80, 'it-back-office@northwind.example order-management@northwind.example'],
          [
            'FORECASTED',
            100,
            'it-back-office@northwind.example order-management@northwind.example',
          ],
        ],
        costCentreTag: 'CC-1100',
      },
      {
        name: 'OfficeZones-dev-back-office-CC-1200',
        usd: 600,
        filter: ['user:CostCentre$CC-1200'],
        alerted: [
          ['ACTUAL', 80, 'it-back-office@northwind.example'],
          ['FORECASTED', 100, 'it-back-office@northwind.example'],
        ],
        costCentreTag: 'CC-1200',
      },
    ]);
  });

  test('none in the back-office stack: budgets hold no data and live with the alarms', () => {
    Template.fromStack(buildReference().stacks.backOffice).resourceCountIs(
      'AWS::Budgets::Budget',
      0,
    );
  });

  test('none when the blueprint declares none', () => {
    const input = referenceInput() as any;
    delete input.backOffice.budgets;
    Template.fromStack(operationsOf(input)).resourceCountIs('AWS::Budgets::Budget', 0);
  });
});
