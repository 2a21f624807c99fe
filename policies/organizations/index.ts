import * as fs from 'node:fs';
import * as path from 'node:path';

/** The organisation policies Office Zones ships, as JSON files next to this one. */
export const ORGANIZATION_POLICY_FILES = {
  frontOfficeScp: 'front-office-scp.json',
  backOfficeScp: 'back-office-scp.json',
  integrationScp: 'integration-scp.json',
  tagPolicy: 'tag-policy.json',
  backupPolicy: 'backup-policy.json',
} as const;

export type OrganizationPolicyName = keyof typeof ORGANIZATION_POLICY_FILES;

/**
 * AWS Organizations size limits, in characters of the policy as sent (minified JSON): 5,120 for a
 * service control policy, 10,000 for a tag or backup policy ("Maximum size of a policy document").
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const POLICY_SIZE_LIMITS: Record<OrganizationPolicyName, number> = {
  frontOfficeScp: 5120,
  backOfficeScp: 5120,
  integrationScp: 5120,
  tagPolicy: 10000,
  backupPolicy: 10000,
};

/** Reads one policy file; a file that is not JSON fails with its name and the parser's reason. */
export function loadOrganizationPolicy(name: OrganizationPolicyName): Record<string, unknown> {
  const file = path.join(__dirname, ORGANIZATION_POLICY_FILES[name]);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `policies/organizations/${ORGANIZATION_POLICY_FILES[name]}: ${(e as Error).message}`,
    );
  }
}

/** The size AWS Organizations counts: the policy as minified JSON. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).length;
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const CONDITION_OPERATOR =
  /^(ForAllValues:|ForAnyValue:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(Less|Greater)Than(Equals)?|Date(Not)?Equals|Date(Less|Greater)Than(Equals)?|Bool|BinaryEquals|IpAddress|NotIpAddress|Arn(Not)?(Equals|Like)|Null)(IfExists)?$/;

/**
 * Problems with a service control policy, by JSON path: IAM policy grammar (version, statement
 * elements, effects, action syntax, condition operators), what SCPs do not allow (`Principal`),
 * and the 5,120-character limit. Empty when it is valid.
 */
export function scpProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return ['(root): must be a JSON object'];
  if (document.Version !== '2012-10-17')
    problems.push(`Version: must be "2012-10-17" (received: ${JSON.stringify(document.Version)})`);
  for (const key of Object.keys(document)) {
    if (key !== 'Version' && key !== 'Statement' && key !== 'Id')
      problems.push(`${key}: is not a policy element`);
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const sids = new Set<string>();
  statements.forEach((s, i) => {
    const at = `Statement[${i}]`;
    if (!isObject(s)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    for (const key of Object.keys(s)) {
      if (!STATEMENT_KEYS.has(key))
        problems.push(`${at}.${key}: is not allowed in a service control policy`);
    }
    if (typeof s.Sid === 'string') {
      if (!/^[A-Za-z0-9]+$/.test(s.Sid))
        problems.push(`${at}.Sid: must be letters and digits (received: "${s.Sid}")`);
      if (sids.has(s.Sid)) problems.push(`${at}.Sid: "${s.Sid}" is not unique`);
      sids.add(s.Sid);
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      problems.push(`${at}.Effect: must be Allow or Deny (received: ${JSON.stringify(s.Effect)})`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      problems.push(`${at}: needs exactly one of Action and NotAction`);
    if ((s.Resource === undefined) === (s.NotResource === undefined))
      problems.push(`${at}: needs exactly one of Resource and NotResource`);
    for (const key of ['Action', 'NotAction'] as const) {
      for (const action of list(s[key])) {
        if (typeof action !== 'string' || !ACTION.test(action))
          problems.push(`${at}.${key}: ${JSON.stringify(action)} is not a service:Action`);
      }
    }
    for (const key of ['Resource', 'NotResource'] as const) {
      for (const resource of list(s[key])) {
        if (typeof resource !== 'string' || !(resource === '*' || resource.startsWith('arn:'))) {
          problems.push(`${at}.${key}: ${JSON.stringify(resource)} is not "*" or an ARN`);
        }
      }
    }
    if (s.Condition !== undefined) {
      if (!isObject(s.Condition)) problems.push(`${at}.Condition: must be an object`);
      else {
        for (const [operator, operands] of Object.entries(s.Condition)) {
          if (!CONDITION_OPERATOR.test(operator))
            problems.push(`${at}.Condition.${operator}: is not a condition operator`);
          if (!isObject(operands) || Object.keys(operands).length === 0)
            problems.push(`${at}.Condition.${operator}: needs at least one condition key`);
        }
      }
    }
  });
  if (policySize(document) > POLICY_SIZE_LIMITS.frontOfficeScp) {
    problems.push(`(root): ${policySize(document)} characters, over the 5,120-character SCP limit`);
  }
  return problems;
}

/** Problems with a tag policy: every tag has `tag_key` with `@@assign`, value and enforcement lists are lists of strings. */
export function tagPolicyProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document) || !isObject(document.tags))
    return ['tags: must be an object of tag rules'];
  for (const [name, rule] of Object.entries(document.tags)) {
    const at = `tags.${name}`;
    if (!isObject(rule)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    const key = isObject(rule.tag_key) ? rule.tag_key['@@assign'] : undefined;
    if (typeof key !== 'string')
      problems.push(`${at}.tag_key: needs "@@assign" with the key's spelling`);
    else if (key.toLowerCase() !== name)
      problems.push(`${at}.tag_key: "${key}" must be the key "${name}" in its capitalisation`);
    for (const field of ['tag_value', 'enforced_for']) {
      if (rule[field] === undefined) continue;
      const value = isObject(rule[field])
        ? (rule[field] as Record<string, unknown>)['@@assign']
        : undefined;
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
        problems.push(`${at}.${field}: needs "@@assign" with a list of strings`);
      }
    }
    for (const field of Object.keys(rule)) {
      if (!['tag_key', 'tag_value', 'enforced_for'].includes(field))
        problems.push(`${at}.${field}: is not a tag policy element`);
    }
  }
  if (policySize(document) > POLICY_SIZE_LIMITS.tagPolicy)
    problems.push(`(root): over the 10,000-character limit`);
  return problems;
}

/** Problems with a backup policy: each plan has regions, rules with a schedule and a vault, and tag selections with a role. */
export function backupPolicyProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document) || !isObject(document.plans))
    return ['plans: must be an object of backup plans'];
  const assigned = (v: unknown) => (isObject(v) ? v['@@assign'] : undefined);
  for (const [name, plan] of Object.entries(document.plans)) {
    const at = `plans.${name}`;
    if (!isObject(plan)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    const regions = assigned(plan.regions);
    if (!Array.isArray(regions) || regions.length === 0)
      problems.push(`${at}.regions: needs "@@assign" with at least one region`);
    if (!isObject(plan.rules) || Object.keys(plan.rules).length === 0)
      problems.push(`${at}.rules: needs at least one rule`);
    for (const [ruleName, rule] of Object.entries(isObject(plan.rules) ? plan.rules : {})) {
      const r = `${at}.rules.${ruleName}`;
      if (!isObject(rule)) continue;
      if (
        typeof assigned(rule.schedule_expression) !== 'string' ||
        !/^cron\(.+\)$/.test(String(assigned(rule.schedule_expression)))
      ) {
        problems.push(`${r}.schedule_expression: needs "@@assign" with a cron() expression`);
      }
      if (typeof assigned(rule.target_backup_vault_name) !== 'string')
        problems.push(`${r}.target_backup_vault_name: needs "@@assign"`);
      const days = isObject(rule.lifecycle)
        ? assigned(rule.lifecycle.delete_after_days)
        : undefined;
      if (days !== undefined && !/^[1-9][0-9]*$/.test(String(days)))
        problems.push(`${r}.lifecycle.delete_after_days: must be a whole number of days`);
    }
    const selections =
      isObject(plan.selections) && isObject(plan.selections.tags)
        ? plan.selections.tags
        : undefined;
    if (!selections || Object.keys(selections).length === 0)
      problems.push(`${at}.selections.tags: needs at least one tag selection`);
    for (const [selectionName, selection] of Object.entries(selections ?? {})) {
      const s = `${at}.selections.tags.${selectionName}`;
      if (!isObject(selection)) continue;
      if (typeof assigned(selection.iam_role_arn) !== 'string')
        problems.push(`${s}.iam_role_arn: needs "@@assign" with a role ARN`);
      if (typeof assigned(selection.tag_key) !== 'string')
        problems.push(`${s}.tag_key: needs "@@assign"`);
      if (!Array.isArray(assigned(selection.tag_value)))
        problems.push(`${s}.tag_value: needs "@@assign" with a list`);
    }
  }
  if (policySize(document) > POLICY_SIZE_LIMITS.backupPolicy)
    problems.push(`(root): over the 10,000-character limit`);
  return problems;
}

/** The roles of the cost-tag contract, and the tag policy entry that carries each by default. */
const CONTRACT_ROLES = {
  zone: 'zone',
  costCentre: 'costcentre',
  owner: 'owner',
  product: 'product',
  environment: 'environment',
} as const;

/**
 * The tag policy for a cost-tag contract: the shipped file's rules under the contract's own key
 * names. A value list is kept only while the contract's format for that key is still the default
 * one it was written for.
 */
export function tagPolicyFor(
  contract: {
    readonly [role in keyof typeof CONTRACT_ROLES]: {
      readonly key: string;
      readonly pattern: string;
    };
  },
  defaults: {
    readonly [role in keyof typeof CONTRACT_ROLES]: {
      readonly key: string;
      readonly pattern: string;
    };
  },
): Record<string, unknown> {
  const file = loadOrganizationPolicy('tagPolicy') as {
    tags: Record<string, Record<string, unknown>>;
  };
  const tags: Record<string, unknown> = {};
  for (const [role, entry] of Object.entries(CONTRACT_ROLES) as [
    keyof typeof CONTRACT_ROLES,
    string,
  ][]) {
    const rule = { ...file.tags[entry] };
    const { key, pattern } = contract[role];
    rule.tag_key = { '@@assign': key };
    if (pattern !== defaults[role].pattern) delete rule.tag_value;
    tags[key.toLowerCase()] = rule;
  }
  return { tags };
}

/**
 * The front-office SCP for a cost-tag contract: its untagged-creation guards check the
 * contract's own key names.
 */
export function frontOfficeScpFor(
  contract: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
  defaults: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
): Record<string, unknown> {
  return scpUnderContractKeys('frontOfficeScp', contract, defaults);
}

/**
 * The integration SCP for a cost-tag contract: its conditions on the zone tag
 * (`aws:ResourceTag/<zone key>` guarding IT's roles, user pool and secrets,
 * `aws:RequestTag/<zone key>` on creation) use the contract's own key names.
 */
export function integrationScpFor(
  contract: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
  defaults: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
): Record<string, unknown> {
  return scpUnderContractKeys('integrationScp', contract, defaults);
}

function scpUnderContractKeys(
  name: 'frontOfficeScp' | 'integrationScp',
  contract: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
  defaults: { readonly [role in keyof typeof CONTRACT_ROLES]: { readonly key: string } },
): Record<string, unknown> {
  let text = JSON.stringify(loadOrganizationPolicy(name));
  for (const role of Object.keys(CONTRACT_ROLES) as (keyof typeof CONTRACT_ROLES)[]) {
    for (const condition of ['aws:RequestTag', 'aws:ResourceTag'])
      text = text
        .split(`"${condition}/${defaults[role].key}"`)
        .join(`"${condition}/${contract[role].key}"`);
  }
  return JSON.parse(text);
}

/**
 * The backup policy for a region and partition (the file leaves them as `{{region}}` and
 * `{{partition}}`); with `regions`, its plans back up those regions instead of `region`.
 */
export function backupPolicyFor(
  region: string,
  partition: string,
  regions?: readonly string[],
): Record<string, unknown> {
  const text = JSON.stringify(loadOrganizationPolicy('backupPolicy'))
    .replace(/\{\{region\}\}/g, region)
    .replace(/\{\{partition\}\}/g, partition);
  const policy = JSON.parse(text) as { plans: Record<string, { regions: unknown }> };
  if (regions?.length)
    for (const plan of Object.values(policy.plans)) plan.regions = { '@@assign': [...regions] };
  return policy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
