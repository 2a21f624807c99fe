import { Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from './nag-core';
import { IConstruct } from 'constructs';
import { BOUNDARY_PACK, boundaryRuleOf } from './boundary/pack';

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
 * with its reason and path, and it refuses vague reasons, acknowledgments without a decision,
 * and any acknowledgment of an ERROR-level boundary rule (those guard the line between the zones).
 */
export function acknowledge(scope: IConstruct, ack: Acknowledgment): void {
  const match = FINDING_ID.exec(ack.id);
  if (!match) {
    throw new Error(
      `acknowledgment id ${JSON.stringify(ack.id)} must name one finding, like AwsSolutions-S1 or AwsSolutions-IAM5[Resource::*]`,
    );
  }
  const rule = boundaryRuleOf(ack.id);
  if (rule?.level === NagMessageLevel.ERROR) {
    throw new Error(
      `${ack.id} at ${scope.node.path} cannot be acknowledged: ${rule.name} is an ERROR-level boundary rule. ${rule.fix}`,
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

/** An acknowledgment recorded anywhere in a construct tree, however it was made. */
export interface RecordedAcknowledgment {
  /** Where it was made. */
  readonly path: string;
  /** The id as recorded (namespaced when made by `acknowledge`). */
  readonly id: string;
  readonly reason: string;
  /**
   * Who made it: `aws-cdk-lib` for the library's own acknowledgments of its CloudFormation
   * validator (e.g. inside `ec2.Vpc`), `app` for everything else.
   */
  readonly madeBy: 'aws-cdk-lib' | 'app';
}

/** Every acknowledgment recorded in a construct tree. */
export function recordedAcknowledgments(root: IConstruct): RecordedAcknowledgment[] {
  const out: RecordedAcknowledgment[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        // The recorded trace starts at the caller of Validations.acknowledge: the project helper,
        // app code, or a construct of aws-cdk-lib itself.
        const first = entry.trace?.[0] ?? '';
        const library =
          /in aws-cdk-lib\.\.\.$/.test(first) && !/Validations\.acknowledge /.test(first);
        out.push({
          path: construct.node.path,
          id,
          reason: String(reason),
          madeBy: library ? 'aws-cdk-lib' : 'app',
        });
      }
    }
  }
  return out;
}

/**
 * The acknowledgments in a construct tree that break the project's discipline: made by the app
 * without `acknowledge` (no namespaced id or no `(ref ...)` marker), or acknowledging an
 * ERROR-level boundary rule. aws-cdk-lib's own acknowledgments of its validator are not the app's.
 * One line each; an empty list means all is well.
 */
export function acknowledgmentProblems(root: IConstruct): string[] {
  const problems: string[] = [];
  for (const ack of recordedAcknowledgments(root)) {
    const id = ack.id.replace(/^[A-Za-z][A-Za-z0-9]*::/, '');
    const where = `${ack.path}: ${ack.id}`;
    const bypassed = !/^[A-Za-z][A-Za-z0-9]*::/.test(ack.id) || !REFERENCE_MARKER.test(ack.reason);
    if (bypassed && ack.madeBy === 'app') {
      problems.push(
        `${where} was not made through policies/acknowledge.ts (reason: ${JSON.stringify(ack.reason)})`,
      );
    }
    const rule = boundaryRuleOf(id);
    if (id.startsWith(`${BOUNDARY_PACK}-`) && rule?.level === NagMessageLevel.ERROR) {
      problems.push(`${where} acknowledges ERROR-level boundary rule ${rule.name}`);
    }
  }
  return problems;
}

/**
 * An ARN as cdk-nag writes it in a granular finding id (`Resource::<arn>`): the partition, region
 * and account of an environment-agnostic stack as `<AWS::Partition>`, `<AWS::Region>`,
 * `<AWS::AccountId>`; a stack with an explicit env has them literally (aws-cdk-lib knows the
 * partition of a named region), and so does an ARN formatted in another account.
 */
export function nagArn(
  stack: { readonly account: string; readonly region: string; readonly partition: string },
  parts: { service: string; account?: string; region?: string; resource: string },
): string {
  const literal = (value: string) => !/^\$\{Token\[/.test(value);
  const region = parts.region ?? (literal(stack.region) ? stack.region : '<AWS::Region>');
  const account = parts.account ?? (literal(stack.account) ? stack.account : '<AWS::AccountId>');
  const partition = literal(stack.partition) ? stack.partition : '<AWS::Partition>';
  return `arn:${partition}:${parts.service}:${region}:${account}:${parts.resource}`;
}
