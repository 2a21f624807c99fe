import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildBackOffice } from '../src/back-office-app';

test('places a back office with retained, encrypted ledgers and a book-to-bill workflow', () => {
  const template = Template.fromStack(buildBackOffice(new App()));
  template.resourceCountIs('AWS::DynamoDB::Table', 3); // orders, its invoices, catalog
  // Kept on update and delete; removed only by the rollback of the deploy that created it, so a
  // failed first deploy can be retried.
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'RetainExceptOnCreate',
    UpdateReplacePolicy: 'Retain',
    Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } },
  });
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  // The workflow's handler comes prebundled in the package: no esbuild here.
  template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
});
