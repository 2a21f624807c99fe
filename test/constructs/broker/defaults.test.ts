import { BROKER_DEFAULTS as D } from '../../../constructs/broker/defaults';
import { parseBlueprint } from '../../../lib/blueprint';
import { referenceInput } from '../../helpers';
import {
  flatten,
  readmeDefaults,
  readmeSection,
  tsdocDefault,
  tsdocOf,
} from '../../support/defaults-docs';

const BROKER = 'constructs/broker/broker.ts';
const IDENTITY = 'constructs/broker/identity.ts';
const WEB_ACL = 'constructs/broker/web-acl.ts';
const ROTATION = 'constructs/broker/secret-rotation.ts';
const throttle = (t: { rateLimit: number; burstLimit: number }) =>
  `{ rateLimit: ${t.rateLimit}, burstLimit: ${t.burstLimit} }`;

describe('BROKER_DEFAULTS', () => {
  test("the README's table lists every default with its value", () => {
    expect(readmeDefaults('BROKER_DEFAULTS')).toEqual(flatten(D));
  });

  test.each([
    [
      BROKER,
      'BrokerProps',
      'accessTokenValidity',
      `Duration.minutes(${D.identity.accessTokenValidityMinutes})`,
    ],
    [
      IDENTITY,
      'BrokerIdentityProps',
      'accessTokenValidity',
      `Duration.minutes(${D.identity.accessTokenValidityMinutes})`,
    ],
    [BROKER, 'BrokerProps', 'throttle', throttle(D.api.throttle)],
    [BROKER, 'BrokerProps', 'defaultConsumerThrottle', throttle(D.api.consumerThrottle)],
    [BROKER, 'BrokerProps', 'wafRateLimitPerIp', `${D.webAcl.rateLimitPerIp}`],
    [BROKER, 'BrokerProps', 'maxBodyBytes', `${D.webAcl.maxBodyBytes}`],
    [WEB_ACL, 'RegionalWebAclProps', 'rateLimitPerIp', `${D.webAcl.rateLimitPerIp}`],
    [WEB_ACL, 'RegionalWebAclProps', 'maxBodyBytes', `${D.webAcl.maxBodyBytes}`],
    [ROTATION, 'ClientSecretRotationProps', 'every', `Duration.days(${D.rotation.everyDays})`],
  ])('%s %s.%s says @default %s', (file, iface, prop, expected) => {
    expect(tsdocDefault(file, iface, prop)).toBe(expected);
  });

  test('the constructs\' "Default settings" and the README say the same', () => {
    expect(tsdocOf(ROTATION, 'ClientSecretRotation')).toContain(
      `every ${D.rotation.everyDays} days`,
    );
    expect(tsdocOf(IDENTITY, 'BrokerIdentity')).toContain(
      `access tokens valid for ${D.identity.accessTokenValidityMinutes} minutes`,
    );
    const readme = readmeSection("The broker, IT's only door");
    expect(readme).toContain(
      `${D.api.consumerThrottle.rateLimit} requests/s with bursts of ${D.api.consumerThrottle.burstLimit}`,
    );
    expect(readme).toContain(`rotate every ${D.rotation.everyDays} days`);
  });

  test("the blueprint's broker defaults are the constructs'", () => {
    const input = referenceInput() as any;
    for (const key of [
      'accessTokenValidityMinutes',
      'throttle',
      'consumerThrottle',
      'wafRateLimitPerIp',
    ])
      delete input.broker[key];
    const { broker } = parseBlueprint(input);
    expect(broker).toMatchObject({
      accessTokenValidityMinutes: D.identity.accessTokenValidityMinutes,
      throttle: D.api.throttle,
      consumerThrottle: D.api.consumerThrottle,
      wafRateLimitPerIp: D.webAcl.rateLimitPerIp,
    });
  });
});
