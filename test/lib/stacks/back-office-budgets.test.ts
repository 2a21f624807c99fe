import { Template } from 'aws-cdk-lib/assertions';
import { parseBlueprint } from '../../../lib/blueprint';
import { BackOfficeStack } from '../../../lib/stacks/back-office-stack';
import { referenceInput, testApp } from '../../helpers';

/** The back-office stack alone, in an app of its own. */
function backOfficeOf(input = referenceInput()) {
  return new BackOfficeStack(testApp(), 'BackOffice', { blueprint: parseBlueprint(input) });
}

describe('back-office budgets', () => {
  test('one monthly budget per back-office cost centre, on the cost-centre tag, attributed to it', () => {
    const template = Template.fromStack(backOfficeOf());
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

  test('none when the blueprint declares none', () => {
    const input = referenceInput() as any;
    delete input.backOffice.budgets;
    Template.fromStack(backOfficeOf(input)).resourceCountIs('AWS::Budgets::Budget', 0);
  });
});
