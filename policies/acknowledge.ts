import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A finding the project accepts, with why and where the decision is written down. */
export interface Acknowledgment {
  /**
   * The exact finding: `AwsSolutions-S1`, or a granular one such as
   * `AwsSolutions-IAM5[Resource::*]`. The pack name is the part before the first hyphen.
   */
  readonly id: string;
  /** Why it is acceptable, in words a security reviewer would accept (20 characters or more). */
  readonly reason: string;
  /** The decision or ticket behind it, e.g. `DEC-003` (see docs/decisions.md). */
  readonly reference: string;
}

const FINDING_ID = /^([A-Za-z][A-Za-z0-9]*)-[A-Za-z0-9]+(\[.+\])?$/;
const REFERENCE = /^[A-Z][A-Z0-9]*-[0-9]+$/;
/** How a reason made by this helper ends; tests use it to find acknowledgments that bypassed it. */
export const REFERENCE_MARKER = /\(ref ([A-Z][A-Z0-9]*-[0-9]+)\)$/;

/**
 * The one way Office Zones acknowledges a validation finding. It uses the namespaced id
 * (`AwsSolutions::AwsSolutions-S1`), so the acknowledgment shows in `validation-report.json`
 * with its reason and path, and it refuses vague reasons and acknowledgments without a decision.
 */
export function acknowledge(scope: IConstruct, ack: Acknowledgment): void {
  const match = FINDING_ID.exec(ack.id);
  if (!match) {
    throw new Error(
      `acknowledgment id ${JSON.stringify(ack.id)} must name one finding, like AwsSolutions-S1 or AwsSolutions-IAM5[Resource::*]`,
    );
  }
  if (ack.reason.trim().length < 20) {
    throw new Error(
      `acknowledgment of ${ack.id} at ${scope.node.path} needs a reason of at least 20 characters`,
    );
  }
  if (!REFERENCE.test(ack.reference)) {
    throw new Error(
      `acknowledgment of ${ack.id} at ${scope.node.path} needs a reference such as DEC-001 (received ${JSON.stringify(ack.reference)})`,
    );
  }
  const pack = match[1];
  Validations.of(scope).acknowledge({
    id: `${pack}::${ack.id}`,
    reason: `${ack.reason.trim()} (ref ${ack.reference})`,
  });
}
