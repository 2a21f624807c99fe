/**
 * What a role's trust policy may condition on when an AWS service assumes the role: only the
 * condition keys AWS documents that service as sending with its `sts:AssumeRole` request. A key the
 * service does not send makes the condition false and the assumption fail at run time, which no
 * synth sees (an API Gateway integration whose role trusts on `aws:SourceAccount` answers every
 * call with 500 "API Gateway does not have permission to assume the provided role").
 *
 * Global keys such as `aws:SourceAccount` and `aws:SourceArn` are "only available when the call
 * to your resource is made directly by an AWS service principal", and only for the services that
 * document it in their confused-deputy guidance.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount
 */
export const TRUST_CONDITION_KEYS: Readonly<Record<string, readonly string[]>> = {
  /**
   * API Gateway's integration (credentials) roles: no key is documented; a public fix removed an
   * `aws:SourceAccount` condition after every call failed.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
   */
  'apigateway.amazonaws.com': [],
  /**
   * Lambda execution roles: the execution-role page documents no condition key for the trust policy.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
   */
  'lambda.amazonaws.com': [],
  /**
   * AWS Backup's service role: none documented.
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html
   */
  'backup.amazonaws.com': [],
};

/** One condition of a trust statement that AWS does not document the service as satisfying. */
export interface TrustConditionProblem {
  readonly service: string;
  readonly operator: string;
  readonly key: string;
}

/**
 * The conditions of an `AssumeRolePolicyDocument` (as synthesized) that name a key its service
 * principal is not documented to send. A service missing from {@link TRUST_CONDITION_KEYS} is
 * documented to send nothing: add it with its AWS page before conditioning on it.
 */
export function trustConditionProblems(document: unknown): TrustConditionProblem[] {
  interface Statement {
    readonly Effect?: string;
    readonly Principal?: { readonly Service?: unknown };
    readonly Condition?: Record<string, Record<string, unknown>>;
  }
  const statements = ([] as unknown[]).concat(
    (document as { Statement?: unknown } | undefined)?.Statement ?? [],
  ) as Statement[];
  const problems: TrustConditionProblem[] = [];
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    const services = ([] as unknown[])
      .concat(statement.Principal?.Service ?? [])
      .filter((s): s is string => typeof s === 'string');
    for (const service of services) {
      const allowed = TRUST_CONDITION_KEYS[service] ?? [];
      for (const [operator, keys] of Object.entries<Record<string, unknown>>(
        statement.Condition ?? {},
      )) {
        for (const key of Object.keys(keys)) {
          if (!allowed.includes(key)) problems.push({ service, operator, key });
        }
      }
    }
  }
  return problems;
}
