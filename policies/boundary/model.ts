import type { CfnResource } from 'aws-cdk-lib';
import type { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BoundaryIndex } from './boundary-index';

/** The three zones, as the stacks a blueprint builds register them. */
export type BoundaryZone = 'front-office' | 'back-office' | 'integration';

/** What the boundary pack needs to know about the blueprint; `lib/stacks/security.ts` passes it in. */
export interface BoundaryChecksProps {
  /** The zone of the stack that holds a construct; undefined for a stack outside the blueprint. */
  readonly zoneOf: (construct: IConstruct) => BoundaryZone | undefined;
  /** The tag keys of the cost-tag contract that every taggable resource must carry. */
  readonly costTagKeys: readonly string[];
  /** Physical names of the broker's integration roles: the only roles outside the back office that its resource policies may admit. */
  readonly integrationRoleNames: readonly string[];
  /**
   * Principals the blueprint declares may assume a back-office role (its maintainers and
   * operators), by the role's physical name: that role's trust policy may name them. ARNs of
   * accounts (`arn:aws:iam::<account>:root`), roles or users; any partition matches.
   * @default - none: a back-office role may be assumed only by the own account, back-office roles,
   * the broker's integration roles and AWS services
   */
  readonly declaredAssumers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Names of SSM parameters the broker publishes (prefixes, e.g. `/office-zones/X/dev/broker/`).
   * A value a stack reads from one at deploy time (an `AWS::SSM::Parameter::Value` parameter whose
   * default starts with a prefix) is the broker's, so an ARN read that way never names a
   * back-office resource: a product's runtime decrypting its delivered credentials with the key
   * the broker publishes is not a cross-zone grant.
   * @default - none: every deploy-time value may name anything
   */
  readonly publishedParameterPrefixes?: readonly string[];
  /**
   * Per back-office account, the integration account whose broker integration roles its
   * resource policies may admit from across accounts: an account principal
   * (`arn:aws:iam::<account>:root`) of that account is admitted only in a statement whose
   * `aws:PrincipalArn` condition (`ArnEquals` or `ArnLike`) names integration roles of that
   * account and nothing else.
   * @default - none: a back office admits no other account
   */
  readonly integrationAccounts?: Readonly<Record<string, string>>;
  /**
   * Adds each rule's explanation and fix to the description of its findings.
   * @default true
   */
  readonly verbose?: boolean;
}

/** A rule of the boundary pack: a function of one resource, which may consult the index of the whole app. */
export type BoundaryCheck = (node: CfnResource, index: BoundaryIndex) => NagRuleResult;

/** One entry of the pack's catalogue. */
export interface BoundaryRule {
  /** The rule id without the pack name, e.g. `B1`; findings are `OfficeZonesBoundary-B1[...]`. */
  readonly id: string;
  /** A short name, e.g. `CrossZoneGrant` (also the rule's file name). */
  readonly name: string;
  readonly level: NagMessageLevel;
  /** What was found, in one sentence. */
  readonly info: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  readonly check: BoundaryCheck;
}
