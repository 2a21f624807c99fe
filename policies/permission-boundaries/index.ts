import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Permission boundaries, kept as policy files with `{{placeholders}}` and filled in here.
 *
 * A placeholder that is a whole string value and receives a list becomes that list (for
 * `Resource`). A statement that mentions `{{costTagKey}}` is repeated once per cost-tag key, with
 * `{{costTagKeyId}}` the key reduced to letters and digits (for its `Sid`).
 */

/**
 * The front office's boundary: what any role in a product stack can never do.
 *
 * `logs:CreateLogGroup` is not among the creations that need cost tags: Lambda creates a
 * function's log group with the function's role, without tags, when nothing made it first (CDK's
 * own provider functions), and denying it would only lose their logs. Office Zones' functions
 * have their log groups made, tagged, by the stack.
 */
export const FRONT_OFFICE_BOUNDARY_FILE = path.join(__dirname, 'front-office.json');

/** IAM's limit for a managed policy, in characters without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

export interface FrontOfficeBoundaryParameters {
  /** The zone tag key of the cost-tag contract, e.g. `Zone`. */
  readonly zoneTagKey: string;
  /** Every key of the cost-tag contract: creating a resource without one is denied. */
  readonly costTagKeys: readonly string[];
  /** The ARN the boundary itself will have: roles may only be created with it. */
  readonly boundaryPolicyArn: string;
  /** ARN patterns of the broker's IAM roles. */
  readonly brokerRoleArns: readonly string[];
  /** ARN patterns of the broker's delivered credentials in Secrets Manager. */
  readonly brokerSecretArns: readonly string[];
  /** ARN patterns of the SSM parameters the broker publishes. */
  readonly brokerParameterArns: readonly string[];
}

export interface PolicyDocumentJson {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** The front-office permission boundary with the blueprint's values filled in. */
export function frontOfficeBoundary(params: FrontOfficeBoundaryParameters): PolicyDocumentJson {
  const template = JSON.parse(
    fs.readFileSync(FRONT_OFFICE_BOUNDARY_FILE, 'utf8'),
  ) as PolicyDocumentJson;
  const values: Record<string, string | readonly string[]> = {
    zoneTagKey: params.zoneTagKey,
    boundaryPolicyArn: params.boundaryPolicyArn,
    brokerRoleArns: params.brokerRoleArns,
    brokerSecretArns: params.brokerSecretArns,
    brokerParameterArns: params.brokerParameterArns,
  };
  const statements = template.Statement.flatMap((statement) => {
    if (!JSON.stringify(statement).includes('{{costTagKey}}')) return [fill(statement, values)];
    const ids = new Set<string>();
    return params.costTagKeys.map((key) => {
      let id = key.replace(/[^A-Za-z0-9]/g, '') || 'Key';
      while (ids.has(id)) id += 'X';
      ids.add(id);
      return fill(statement, { ...values, costTagKey: key, costTagKeyId: id });
    });
  });
  return { Version: template.Version, Statement: statements as Record<string, unknown>[] };
}

/** The policy's length as IAM counts it against its quota (whitespace outside strings excluded). */
export function policyLength(document: PolicyDocumentJson): number {
  return JSON.stringify(document).length;
}

const PLACEHOLDER = /\{\{([A-Za-z]+)\}\}/g;

function fill(value: unknown, values: Record<string, string | readonly string[]>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{([A-Za-z]+)\}\}$/.exec(value);
    if (whole && Array.isArray(values[whole[1]])) return [...(values[whole[1]] as string[])];
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const v = values[name];
      if (typeof v !== 'string')
        throw new Error(`${FRONT_OFFICE_BOUNDARY_FILE}: no single value for {{${name}}}`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [fill(k, values) as string, fill(v, values)]),
    );
  }
  return value;
}
