import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { brokerManifest, parseBlueprint, REFERENCE_BLUEPRINT } from 'office-zones';
import { buildProduct } from '../src/product-app';

// The manifest the reference enterprise's broker publishes, as IT would hand it over.
const manifest = brokerManifest(parseBlueprint(REFERENCE_BLUEPRINT));

test('serves the broker routes of the scopes it consumes, and only those', () => {
  const template = Template.fromStack(buildProduct(new App(), manifest));
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
    (r) => r['Properties'].RouteKey as string,
  );
  expect(routes.sort()).toEqual(['GET /orders/{orderId}', 'POST /orders']);
  template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'gift-cards-runtime' });
  template.hasResourceProperties('AWS::Budgets::Budget', {
    Budget: { BudgetLimit: { Amount: 150, Unit: 'USD' } },
  });
});
