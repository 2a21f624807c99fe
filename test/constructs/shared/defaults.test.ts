import { SHARED_DEFAULTS as D } from '../../../constructs/shared/defaults';
import {
  flatten,
  readmeDefaults,
  retentionName,
  tsdocDefault,
  tsdocOf,
} from '../../support/defaults-docs';

const FUNCTION = 'constructs/shared/node-function.ts';

describe('SHARED_DEFAULTS', () => {
  test("the README's table lists every default with its value", () => {
    expect(readmeDefaults('SHARED_DEFAULTS')).toEqual(flatten(D));
  });

  test.each([
    [FUNCTION, 'NodeFunctionProps', 'memorySize', `${D.nodeFunction.memorySize}`],
    [
      FUNCTION,
      'NodeFunctionProps',
      'timeout',
      `Duration.seconds(${D.nodeFunction.timeoutSeconds})`,
    ],
    [FUNCTION, 'NodeFunctionProps', 'logRetention', retentionName(D.nodeFunction.logRetentionDays)],
  ])('%s %s.%s says @default %s', (file, iface, prop, expected) => {
    expect(tsdocDefault(file, iface, prop)).toBe(expected);
  });

  test('the construct\'s "Default settings" say the same', () => {
    expect(D.nodeFunction.logRetentionDays).toBe(365);
    expect(tsdocOf(FUNCTION, 'NodeFunction')).toContain('(kept one year)');
  });
});
