import { CfnResource, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack } from '../nag-core';
import { IConstruct } from 'constructs';
import { BoundaryIndex } from './boundary-index';
import type { BoundaryChecksProps, BoundaryRule } from './model';
import type { RuleDescriptor, RulesRun } from '../rules-run';
import { backOfficeBackup } from './rules/BackOfficeBackup';
import { backOfficeDeletionProtection } from './rules/BackOfficeDeletionProtection';
import { backOfficePublicDoor } from './rules/BackOfficePublicDoor';
import { backOfficeResourcePolicy } from './rules/BackOfficeResourcePolicy';
import { backOfficeRetain } from './rules/BackOfficeRetain';
import { brokerMethodAuthorizer } from './rules/BrokerMethodAuthorizer';
import { brokerMethodValidation } from './rules/BrokerMethodValidation';
import { brokerStageWaf } from './rules/BrokerStageWaf';
import { costContractTags } from './rules/CostContractTags';
import { crossZoneDependencies, crossZoneReference } from './rules/CrossZoneReference';
import { crossZoneGrant } from './rules/CrossZoneGrant';

/** The name of the pack: the prefix of its rule ids and the namespace of its acknowledgments. */
export const BOUNDARY_PACK = 'OfficeZonesBoundary';

/**
 * The catalogue: every boundary rule with its id, level, what it finds, why and how to fix it.
 * ERROR rules guard the line between the zones and cannot be acknowledged; WARN rules can,
 * through `policies/acknowledge.ts`, with a decision.
 */
export const BOUNDARY_RULES: readonly BoundaryRule[] = [
  {
    id: 'B1',
    name: 'CrossZoneGrant',
    level: NagMessageLevel.ERROR,
    info: "A principal outside the back office, other than the broker's integration roles, holds IAM permissions on a back-office resource.",
    explanation:
      "The front office reaches the back office only through the broker, and IT's other stacks (the broker's other roles, the guardrails, cost management) have no business with its data. A grant to such a role, user or group on a back-office resource, whether by cross-stack reference, imported or literal ARN, or a wildcard that covers it, is a second door that bypasses authentication, scopes, validation and WAF, and the back office's change control.",
    fix: "Remove the grant. A product calls the broker API with its client credentials (ask IT for a scope if the capability lacks one); IT work on back-office data runs as a back-office role (the capability's maintainer, the operator) or through the broker's integration role.",
    check: crossZoneGrant,
  },
  {
    id: 'B2',
    name: 'CrossZoneReference',
    level: NagMessageLevel.ERROR,
    info: 'A front-office stack references a back-office stack.',
    explanation:
      'Product stacks are deployed by their own teams and must not couple to the back office: a cross-stack reference, an imported export, a back-office parameter, a literal back-office name or a stack dependency ties a product deployment to the systems of record. The front office learns what it needs from the broker manifest, which the broker publishes.',
    fix: 'Drop the reference and read the broker manifest (its SSM parameter or cdk.out/broker-manifest.json) instead.',
    check: crossZoneReference,
  },
  {
    id: 'B3',
    name: 'BackOfficePublicDoor',
    level: NagMessageLevel.ERROR,
    info: 'The back office has a public door.',
    explanation:
      'Systems of record live in isolated networks and face no caller but the broker. An internet gateway, public subnet or route, public IP, internet-facing load balancer, security-group ingress from 0.0.0.0/0 or ::/0, a public bucket, a function URL without IAM auth or an API of its own opens the back office to the internet or to callers the broker never sees.',
    fix: 'Remove the door: use isolated subnets with VPC endpoints, internal load balancers, ingress from named security groups, buckets with all four public-access blocks, and expose operations through the broker.',
    check: backOfficePublicDoor,
  },
  {
    id: 'B4',
    name: 'BackOfficeResourcePolicy',
    level: NagMessageLevel.ERROR,
    info: 'A back-office resource policy admits a principal other than back-office roles and the broker integration roles.',
    explanation:
      "A resource policy is a door that IAM policies in the caller account cannot close. Back-office resources admit only back-office roles, the broker integration roles (named deterministically), the own account (which defers to IAM policies, checked by B1), AWS services tied to this account or a resource by an aws:SourceAccount, aws:SourceArn, KMS caller or encryption-context condition, and, in a back-office role's trust policy, the maintainers or operators the blueprint declares for that role.",
    fix: 'Name the back-office role or the broker integration role instead of the principal, or add an aws:SourceAccount/aws:SourceArn condition to a service principal.',
    check: backOfficeResourcePolicy,
  },
  {
    id: 'B5',
    name: 'BrokerMethodAuthorizer',
    level: NagMessageLevel.ERROR,
    info: 'A broker method does not require the Cognito authorizer and an OAuth scope.',
    explanation:
      'The broker authenticates every caller with the enterprise identity and authorises it by the scope of the capability it calls. A method without a Cognito user-pool authorizer, or without a scope, lets any caller with network access, or any authenticated client, reach the back office.',
    fix: 'Give the method the Cognito user-pool authorizer and the scope of its operation (authorizationScopes), as BrokerApi does for every route.',
    check: brokerMethodAuthorizer,
  },
  {
    id: 'B6',
    name: 'BrokerMethodValidation',
    level: NagMessageLevel.ERROR,
    info: 'A broker method does not validate its request.',
    explanation:
      'The broker hands requests straight to systems of record, so API Gateway must refuse what the capability contract does not allow before it reaches them: a request validator on every method, and body validation against a model for methods with a body.',
    fix: 'Attach the broker request validator (body and parameters) and a request model for the body, as BrokerApi does for every route.',
    check: brokerMethodValidation,
  },
  {
    id: 'B7',
    name: 'BrokerStageWaf',
    level: NagMessageLevel.ERROR,
    info: 'A broker stage is not protected by a WAF web ACL.',
    explanation:
      'The broker is the only door and faces partners and the internet, so every stage sits behind a web ACL with rate limiting and managed rule groups. A stage without an AWS::WAFv2::WebACLAssociation is reachable unfiltered.',
    fix: 'Associate the broker regional web ACL with the stage (RegionalWebAcl resourceArns).',
    check: brokerStageWaf,
  },
  {
    id: 'B8',
    name: 'CostContractTags',
    level: NagMessageLevel.WARN,
    info: 'A taggable resource lacks a key of the cost-tag contract.',
    explanation:
      'Finance attributes every dollar by the contract tags (zone, cost centre, owner, product, environment). A resource CDK can tag but that lacks a key in its template is spend nobody owns.',
    fix: 'Build the resource inside a stack of the blueprint, which tags everything, or apply the contract tags to its scope with applyCostTags.',
    check: costContractTags,
  },
  {
    id: 'B9',
    name: 'BackOfficeRetain',
    level: NagMessageLevel.ERROR,
    info: 'A back-office stateful resource is not retained on deletion or replacement.',
    explanation:
      'Systems of record outlive their stacks: a table, database, file system, volume, bucket or key whose DeletionPolicy or UpdateReplacePolicy is not Retain is destroyed by a stack deletion or a replacing change.',
    fix: 'Set removalPolicy: RemovalPolicy.RETAIN on the resource.',
    check: backOfficeRetain,
  },
  {
    id: 'B10',
    name: 'BackOfficeDeletionProtection',
    level: NagMessageLevel.ERROR,
    info: 'A back-office stateful resource lacks deletion protection where its service offers it.',
    explanation:
      'Deletion protection stops a console click or an API call from deleting a system of record (DynamoDB tables, RDS, DocumentDB and Neptune databases); retention alone only covers CloudFormation.',
    fix: 'Turn deletion protection on (deletionProtection: true; on every replica of a global table).',
    check: backOfficeDeletionProtection,
  },
  {
    id: 'B11',
    name: 'BackOfficeBackup',
    level: NagMessageLevel.WARN,
    info: 'A back-office stateful resource is in no backup plan.',
    explanation:
      'The back office is backed up: every resource AWS Backup supports belongs to a backup plan, by an AWS::Backup::BackupSelection that lists it or selects its tags, or by an organisation backup policy that selects its tags.',
    fix: 'Add the resource to the back-office backup plan (BackupSelection resources or tags).',
    check: backOfficeBackup,
  },
];

/** The full id of a rule, e.g. `OfficeZonesBoundary-B1`. */
export function boundaryRuleId(rule: Pick<BoundaryRule, 'id'>): string {
  return `${BOUNDARY_PACK}-${rule.id}`;
}

/** The catalogue entry of a finding id such as `OfficeZonesBoundary-B4[Principal::*]`, if any. */
export function boundaryRuleOf(findingId: string): BoundaryRule | undefined {
  const base = findingId.replace(/\[.*\]$/, '');
  return BOUNDARY_RULES.find((rule) => boundaryRuleId(rule) === base);
}

/**
 * The Office Zones boundary pack (cdk-nag 3): checks that the front office reaches the back office
 * only through the broker. Register it next to AwsSolutions with
 * `Validations.of(app).addPlugins(new BoundaryChecks(app, props))`.
 */
export class BoundaryChecks extends NagPack implements RulesRun {
  readonly name = BOUNDARY_PACK;
  private readonly props: BoundaryChecksProps;
  private index?: BoundaryIndex;
  private readonly ran = new Map<string, RuleDescriptor>();

  constructor(scope: IConstruct | undefined, props: BoundaryChecksProps) {
    super(scope, { verbose: props.verbose ?? true });
    this.packName = BOUNDARY_PACK;
    this.props = props;
  }

  rulesRun(): RuleDescriptor[] {
    return [...this.ran.values()];
  }

  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.index = BoundaryIndex.build(scope, this.props);
    this.ran.clear();
    try {
      const report = super.validateScope(scope);
      const violations: PolicyViolation[] = report.violations.map((v) => ({
        ...v,
        fix: boundaryRuleOf(v.ruleName)?.fix,
      }));
      const b2 = BOUNDARY_RULES.find((r) => r.id === 'B2')!;
      for (const { stack, finding } of crossZoneDependencies(this.index)) {
        violations.push({
          ruleName: `${boundaryRuleId(b2)}[${finding}]`,
          description: `${b2.info} ${b2.explanation}`,
          fix: b2.fix,
          severity: 'error',
          violatingResources: [{ constructPath: stack.stack.node.path, locations: [] }],
        });
      }
      return { ...report, violations, success: violations.length === 0 };
    } finally {
      this.index = undefined;
    }
  }

  protected checkResource(node: CfnResource): void {
    const index = this.index;
    if (!index) throw new Error('BoundaryChecks: validateScope builds the index first');
    for (const rule of BOUNDARY_RULES) {
      const id = boundaryRuleId(rule);
      if (!this.ran.has(id)) this.ran.set(id, describe(rule));
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: (resource: CfnResource) => rule.check(resource, index),
      });
    }
  }
}

function describe(rule: BoundaryRule): RuleDescriptor {
  return {
    id: boundaryRuleId(rule),
    name: rule.name,
    level: rule.level,
    info: rule.info,
    explanation: rule.explanation,
    fix: rule.fix,
  };
}
