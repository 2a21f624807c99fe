import type * as Nag from 'cdk-nag';

/**
 * The parts of cdk-nag that building stacks needs: its enums and the NagPack base class of the
 * boundary pack, without the AwsSolutions pack.
 *
 * cdk-nag's index loads every rule of every pack, and those load the aws-cdk-lib modules they
 * check (QuickSight, SageMaker, EMR, Glue and more: some 500 modules). Stacks need only the enums
 * (acknowledgments compare levels, boundary rules answer compliance), so these come from the
 * files of cdk-nag that define them, and the AwsSolutions pack is loaded only where the security
 * gate is registered (lib/stacks/security.ts). The types are cdk-nag's own, from its index; a
 * cdk-nag that no longer has these files is read from its index (slower, the same values).
 * test/policies/nag-core.test.ts proves they are the objects cdk-nag's index exports.
 */
function fromFile<K extends keyof typeof Nag>(file: string, name: K): (typeof Nag)[K] {
  try {
    const value = (require(file) as Partial<typeof Nag>)[name];
    if (value !== undefined) return value as (typeof Nag)[K];
  } catch {
    // a cdk-nag that hides its files: its index below
  }
  return (require('cdk-nag') as typeof Nag)[name];
}

/** cdk-nag's `NagMessageLevel` (`WARN`, `ERROR`). */
export const NagMessageLevel = fromFile('cdk-nag/lib/nag-rules', 'NagMessageLevel');
/** cdk-nag's `NagMessageLevel`. */
export type NagMessageLevel = Nag.NagMessageLevel;

/** cdk-nag's `NagRuleCompliance` (`COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`). */
export const NagRuleCompliance = fromFile('cdk-nag/lib/nag-rules', 'NagRuleCompliance');
/** cdk-nag's `NagRuleCompliance`. */
export type NagRuleCompliance = Nag.NagRuleCompliance;

/** cdk-nag's `NagRuleResult`: a compliance, or the findings of a granular rule. */
export type NagRuleResult = Nag.NagRuleResult;

/** cdk-nag's `NagPack`, the base of every rule pack. */
export const NagPack = fromFile('cdk-nag/lib/nag-pack', 'NagPack');
