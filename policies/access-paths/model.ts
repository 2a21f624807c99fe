/** The three zones, as the stacks a blueprint builds register them. */
export type AccessPathZone = 'front-office' | 'back-office' | 'integration';

/** When a path is exercised: while CloudFormation deploys, or while the system runs. */
export type AccessPathPhase = 'deploy' | 'run';

/** What the engine decided, in its own words. */
export type AccessDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * Who makes a request. A role calls with its own session; a service principal calls as itself
 * (CloudWatch publishing an alarm, CloudFront reading through origin access control); a role
 * `via` a service is a forward access session (SQS asking KMS for a data key with the caller's
 * permissions), which carries `kms:ViaService` and `aws:ViaAWSService` but is not an AWS service
 * principal.
 */
export type AccessPrincipal =
  | { readonly kind: 'role'; readonly arn: string; readonly via?: string }
  | {
      readonly kind: 'service';
      /** e.g. `cloudwatch.amazonaws.com`. */
      readonly service: string;
      /** `aws:SourceArn`, only where AWS documents that the service sends it. */
      readonly sourceArn?: string;
      /** `aws:SourceAccount`, only where AWS documents that the service sends it. */
      readonly sourceAccount?: string;
    };

/** One access the deploy or the running system depends on, or one that must never be possible. */
export interface AccessPath {
  /** Stable id, e.g. `run.api-gateway.orders.send-intake`. */
  readonly id: string;
  readonly phase: AccessPathPhase;
  readonly expect: 'allow' | 'deny';
  /** One sentence for a security reviewer. */
  readonly description: string;
  readonly principal: AccessPrincipal;
  readonly action: string;
  /** The concrete ARN in the simulated account and region. */
  readonly resource: string;
  /** Extra request context keys the service documents for this call (e.g. an encryption context). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The stacks whose templates hold the principal and the resource. */
  readonly stacks: readonly string[];
  /** The path kind that derived it (its file name under `paths/`). */
  readonly kind: string;
  /**
   * The zone whose service control policies apply to the principal, where the principal is not
   * in a template (the CloudFormation execution role of the stack being deployed).
   * @default - the zone of the stack that holds the role
   */
  readonly principalZone?: AccessPathZone;
}

/** A statement that decided a path, as the report shows it. */
export interface DecidingStatement {
  /** Which policy: its kind and where it comes from, e.g. `resource policy AWS::SQS::QueuePolicy OfficeZones-dev-BackOffice/QueuePolicy`. */
  readonly policy: string;
  /** The statement's Sid, or its 1-based index as `#2`, or `no statement allows`. */
  readonly sid: string;
}

/** A path with what the engine made of it. */
export interface AccessPathResult extends AccessPath {
  readonly decision: AccessDecision | 'NotEvaluated' | 'Error';
  readonly pass: boolean;
  readonly decidingStatements: readonly DecidingStatement[];
  /** Why a path could not be evaluated (a missing principal, an engine error). */
  readonly error?: string;
  /** How the engine decided, where that differs from the rest (and why no statements are listed). */
  readonly note?: string;
}

/** `cdk.out/access-paths.json`: the contract other readers (the security and HTML reports) rely on. */
export interface AccessPathReport {
  readonly simulation: true;
  readonly engine: { readonly name: string; readonly version: string | null };
  readonly evaluated: boolean;
  readonly notEvaluatedReason?: string;
  /**
   * The simulated account and region environment-agnostic stacks were resolved into; stacks with
   * an explicit env were resolved into their own (`accounts`).
   */
  readonly environment: {
    readonly account: string;
    readonly region: string;
    readonly partition: string;
    /** The accounts of the stacks with an explicit env, each simulated in its own; absent when none has one. */
    readonly accounts?: readonly string[];
  };
  /** Which organisation policy applies to which zone's principals. */
  readonly serviceControlPolicies: Readonly<Record<AccessPathZone, readonly string[]>>;
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    /** Paths listed but not decided (a context key the engine cannot evaluate). */
    readonly notEvaluated?: number;
  };
  readonly paths: readonly AccessPathResult[];
}

/**
 * What the evaluation needs to know beyond the templates; `lib/stacks/security.ts` derives it
 * from the blueprint, so nothing here reads the blueprint itself.
 */
export interface AccessPathSettings {
  /** The simulated account, e.g. `111111111111`. */
  readonly account: string;
  /** The simulated region, e.g. the blueprint's `region`. */
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** The CDK bootstrap's CloudFormation execution role name in the simulated account and region. */
  readonly executionRoleName: string;
  /**
   * The CDK bootstrap's CloudFormation execution role name in another account and region, for
   * stacks with an explicit `env` (each account has its own bootstrap).
   * @default - `executionRoleName` with the simulated account and region replaced
   */
  readonly executionRoleNameIn?: (account: string, region: string) => string;
  /** The broker's integration roles, by name: the only roles outside the back office its data admits. */
  readonly integrationRoleNames: readonly string[];
  /** The back office's operator role, by name. */
  readonly operatorRoleName?: string;
  /** Per capability, its maintainer role and the ledger tables it maintains, by name. */
  readonly maintainers?: readonly {
    readonly capability: string;
    readonly roleName: string;
    readonly tableNames: readonly string[];
  }[];
  /** Per front-office product, its runtime role and the name of its broker credentials secret. */
  readonly products?: readonly {
    readonly name: string;
    readonly runtimeRoleName: string;
    readonly secretName: string;
  }[];
  /** The service control policy documents that apply to each zone's principals, by file name. */
  readonly serviceControlPolicies: Readonly<
    Record<AccessPathZone, readonly { readonly name: string; readonly policy: unknown }[]>
  >;
}

/** One synthesized stack, as the evaluation reads it. */
export interface StackTemplate {
  readonly stackName: string;
  readonly zone: AccessPathZone | undefined;
  readonly template: CfnTemplate;
  /** Stack tags, which CloudFormation propagates at deploy to every resource that takes tags. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The account the stack is deployed to, when its `env` names one.
   * @default - the simulated account (`AccessPathSettings.account`)
   */
  readonly account?: string;
  /**
   * The region the stack is deployed to, when its `env` names one.
   * @default - the simulated region (`AccessPathSettings.region`)
   */
  readonly region?: string;
}

/** The parts of a CloudFormation template the evaluation reads. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
}
