import * as nag from 'cdk-nag';
import { NagMessageLevel, NagPack, NagRuleCompliance } from '../../policies/nag-core';

describe('policies/nag-core.ts', () => {
  test("gives cdk-nag's own enums and NagPack, the objects its index exports", () => {
    expect(NagMessageLevel).toBe(nag.NagMessageLevel);
    expect(NagRuleCompliance).toBe(nag.NagRuleCompliance);
    // The boundary pack extends the class the AwsSolutions pack extends: one NagPack.
    expect(NagPack).toBe(nag.NagPack);
    expect(Object.getPrototypeOf(nag.AwsSolutionsChecks)).toBe(NagPack);
  });

  test('takes them from the files of cdk-nag that define them, not from its index', () => {
    expect(require('cdk-nag/lib/nag-rules').NagMessageLevel).toBe(nag.NagMessageLevel);
    expect(require('cdk-nag/lib/nag-pack').NagPack).toBe(nag.NagPack);
  });
});
