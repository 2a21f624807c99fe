import { FRONT_OFFICE_DEFAULTS as D } from '../../../constructs/front-office/defaults';
import { parseBlueprint } from '../../../lib/blueprint';
import { referenceInput } from '../../helpers';
import {
  flatten,
  readmeDefaults,
  readmeSection,
  retentionName,
  tsdocDefault,
  tsdocOf,
} from '../../support/defaults-docs';

const API = 'constructs/front-office/product-api.ts';
const PRODUCT = 'constructs/front-office/digital-product.ts';
const WEB = 'constructs/front-office/static-web.ts';
const DATA = 'constructs/front-office/product-data.ts';

describe('FRONT_OFFICE_DEFAULTS', () => {
  test("the README's table lists every default with its value", () => {
    expect(readmeDefaults('FRONT_OFFICE_DEFAULTS')).toEqual(flatten(D));
  });

  test.each([
    [API, 'ProductApiProps', 'memorySize', `${D.productApi.memorySize}`],
    [API, 'ProductApiProps', 'timeout', `Duration.seconds(${D.productApi.timeoutSeconds})`],
    [
      API,
      'ProductApiProps',
      'throttle',
      `{ rateLimit: ${D.productApi.throttle.rateLimit}, burstLimit: ${D.productApi.throttle.burstLimit} }`,
    ],
    [API, 'ProductApiProps', 'logRetention', retentionName(D.productApi.logRetentionDays)],
    [PRODUCT, 'DigitalProductApiProps', 'memorySize', `${D.productApi.memorySize}`],
    [
      PRODUCT,
      'DigitalProductApiProps',
      'timeout',
      `Duration.seconds(${D.productApi.timeoutSeconds})`,
    ],
    [WEB, 'StaticWebProps', 'logRetention', `Duration.days(${D.staticWeb.logRetentionDays})`],
    [DATA, 'ProductDataProps', 'partitionKey', `'${D.productData.partitionKey}'`],
  ])('%s %s.%s says @default %s', (file, iface, prop, expected) => {
    expect(tsdocDefault(file, iface, prop)).toBe(expected);
  });

  test('the constructs\' "Default settings" and the README say the same', () => {
    const throttle = `${D.productApi.throttle.rateLimit} requests/s, bursts of ${D.productApi.throttle.burstLimit}`;
    expect(tsdocOf(API, 'ProductApi')).toContain(throttle);
    expect(tsdocOf(WEB, 'StaticWeb')).toContain(
      `objects expire after ${D.staticWeb.logRetentionDays} days`,
    );
    const readme = readmeSection('Front office: self-service products');
    expect(readme).toContain(throttle);
    expect(readme).toContain(`access logs kept ${D.staticWeb.logRetentionDays} days`);
  });

  test("the blueprint's product API defaults are the construct's", () => {
    const input = referenceInput() as any;
    const product = input.frontOffice.products.find((p: any) => p.components.api);
    delete product.components.api.memoryMb;
    delete product.components.api.timeoutSeconds;
    product.components.data = {};
    const parsed = parseBlueprint(input).frontOffice.products.find((p) => p.name === product.name)!;
    expect(parsed.components.api).toMatchObject({
      memoryMb: D.productApi.memorySize,
      timeoutSeconds: D.productApi.timeoutSeconds,
    });
    expect(parsed.components.data?.partitionKey).toBe(D.productData.partitionKey);
  });
});
