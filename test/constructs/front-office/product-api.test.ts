import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DigitalProduct } from '../../../constructs/front-office/digital-product';
import { ProductApi, ProductApiProps } from '../../../constructs/front-office/product-api';
import { errorOf, testStack } from '../../helpers';

const BROKER: ProductApiProps['broker'] = {
  apiUrl: 'https://broker.example.com/v1/',
  tokenUrl: 'https://auth.example.com/oauth2/token',
  credentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:product.web-shop',
  credentialsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
  scopes: ['orders/write'],
};

function productApi(props: Partial<ProductApiProps> = {}) {
  const stack = testStack();
  const api = new ProductApi(stack, 'Api', {
    routes: [{ route: 'POST /orders' }],
    broker: BROKER,
    ...props,
  });
  return { stack, api };
}

describe('ProductApi', () => {
  test('takes its memory, timeout and throttle from FRONT_OFFICE_DEFAULTS', () => {
    const template = Template.fromStack(productApi().stack);
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 256, Timeout: 10 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  test('fails when the memory, the timeout, the throttle or a route would be refused, all at once', () => {
    const build = () =>
      productApi({
        memorySize: 64,
        timeout: Duration.seconds(40),
        throttle: { rateLimit: 0, burstLimit: 6000 },
        routes: [{ route: 'POST /orders' }, { route: 'FETCH orders' }],
        runtimeRoleName: 'web shop runtime',
      });
    expect(errorOf(build).split('\n')).toEqual([
      'Test/Api: memorySize must be a whole number of MiB from 128 to 10240 (received: 64)',
      'Test/Api: timeout must be a whole number of seconds from 1 to 29 (received: 40 seconds)',
      'Test/Api: runtimeRoleName must be 1 to 64 letters, digits or the characters + = , . @ _ - (received: "web shop runtime")',
      'Test/Api: throttle.rateLimit must be a number of requests per second greater than 0 (received: 0)',
      'Test/Api: throttle.burstLimit must be a whole number of requests from 0 to 5000 (received: 6000)',
      'Test/Api: routes[1].route must be a method (GET, POST, PUT, PATCH or DELETE), a space and a path such as /orders/{orderId} (received: "FETCH orders")',
    ]);
  });

  test('leaves values known only at deploy time to AWS', () => {
    const stack = testStack();
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    expect(
      () =>
        new ProductApi(stack, 'Api', {
          routes: [{ route: 'GET /catalog/items', query: ['category'] }],
          broker: BROKER,
          memorySize: memory,
        }),
    ).not.toThrow();
  });
});

describe('DigitalProduct', () => {
  const product = {
    name: 'web-shop',
    owner: 'shop@example.com',
    costCentre: 'CC-3100',
    monthlyBudgetUsd: 100,
    productTagKey: 'Product',
  };

  test("passes the api's memorySize and timeout to its function", () => {
    const stack = testStack();
    new DigitalProduct(stack, 'Product', {
      ...product,
      api: {
        routes: [{ route: 'POST /orders' }],
        broker: BROKER,
        runtimeRoleName: 'web-shop-runtime',
        memorySize: 512,
        timeout: Duration.seconds(20),
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 20,
    });
  });

  test('fails when the api would outlive API Gateway, naming the path', () => {
    const build = () =>
      new DigitalProduct(testStack(), 'Product', {
        ...product,
        api: {
          routes: [{ route: 'POST /orders' }],
          broker: BROKER,
          runtimeRoleName: 'web-shop-runtime',
          timeout: Duration.minutes(1),
        },
      });
    expect(errorOf(build)).toBe(
      'Test/Product/Api: timeout must be a whole number of seconds from 1 to 29 (received: 1 minute)',
    );
  });
});
