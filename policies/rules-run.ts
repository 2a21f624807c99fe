import { AwsSolutionsChecks, IApplyRule, NagMessageLevel, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** A rule a pack applied, as reports describe it. */
export interface RuleDescriptor {
  /** The full rule id, e.g. `AwsSolutions-S1` or `OfficeZonesBoundary-B1`. */
  readonly id: string;
  /** A short name, when the pack has one. */
  readonly name?: string;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  readonly fix?: string;
}

/** A pack that remembers which rules it applied in its last run, for the security reports. */
export interface RulesRun {
  /** The pack's name, as `validation-report.json` has it. */
  readonly name: string;
  /** Every rule applied to at least one resource in the last validation, in order. */
  rulesRun(): RuleDescriptor[];
}

/**
 * cdk-nag's AwsSolutions pack, recording the rules it applies. It checks exactly what
 * `AwsSolutionsChecks` checks; the record lets the security reports list every rule that ran,
 * also those that found nothing (which `validation-report.json` leaves out).
 */
export class RecordedAwsSolutionsChecks extends AwsSolutionsChecks implements RulesRun {
  private readonly ran = new Map<string, RuleDescriptor>();

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
  }

  rulesRun(): RuleDescriptor[] {
    return [...this.ran.values()];
  }

  override validateScope(scope: IConstruct) {
    this.ran.clear();
    return super.validateScope(scope);
  }

  protected override applyRule(params: IApplyRule): void {
    const id = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    if (!this.ran.has(id)) {
      this.ran.set(id, {
        id,
        level: params.level,
        info: params.info,
        explanation: params.explanation,
      });
    }
    super.applyRule(params);
  }
}
