import * as fs from 'node:fs';
import {
  FRONT_OFFICE_BOUNDARY_FILE,
  frontOfficeBoundary,
  MANAGED_POLICY_MAX_CHARS,
  policyLength,
  PolicyDocumentJson,
} from '../../policies/permission-boundaries';

const PARAMS = {
  zoneTagKey: 'Zone',
  costTagKeys: ['Zone', 'CostCentre', 'Owner', 'Product', 'Environment'],
  boundaryPolicyArn: 'arn:aws:iam::111122223333:policy/OfficeZones-dev-front-office-boundary',
  brokerRoleArns: ['arn:aws:iam::111122223333:role/OfficeZones-dev-broker-*'],
  brokerSecretArns: [
    'arn:aws:secretsmanager:*:111122223333:secret:office-zones/OfficeZones/dev/broker/*',
  ],
  brokerParameterArns: [
    'arn:aws:ssm:*:111122223333:parameter/office-zones/OfficeZones/dev/broker/*',
  ],
};

/** A request as IAM evaluates it against a boundary. */
interface Request {
  action: string;
  resource: string;
  resourceTags?: Record<string, string>;
  requestTags?: Record<string, string>;
  permissionsBoundary?: string;
}

const wildcard = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(value);
const list = (x: unknown): string[] => (x === undefined ? [] : [x as string | string[]].flat());

/**
 * The condition operators this boundary uses, evaluated as IAM does: a key missing from the
 * request fails StringEquals and satisfies StringNotEquals.
 */
function conditionHolds(condition: Record<string, Record<string, string>> | undefined, r: Request) {
  const value = (key: string): string | undefined => {
    if (key.startsWith('aws:ResourceTag/')) return r.resourceTags?.[key.slice(16)];
    if (key.startsWith('aws:RequestTag/')) return r.requestTags?.[key.slice(15)];
    if (key === 'iam:PermissionsBoundary') return r.permissionsBoundary;
    throw new Error(`the test evaluator does not know ${key}`);
  };
  return Object.entries(condition ?? {}).every(([op, tests]) =>
    Object.entries(tests).every(([key, expected]) => {
      const v = value(key);
      if (op === 'StringEquals') return v === expected;
      if (op === 'StringNotEquals') return v !== expected;
      if (op === 'Null') return (v === undefined) === (expected === 'true');
      throw new Error(`the test evaluator does not know ${op}`);
    }),
  );
}

/** Whether a boundary lets a request through: some Allow matches and no Deny does. */
function allows(doc: PolicyDocumentJson, r: Request): boolean {
  const matches = (s: any) =>
    (s.Action ? list(s.Action).some((a) => wildcard(a, r.action)) : true) &&
    (s.NotAction ? !list(s.NotAction).some((a) => wildcard(a, r.action)) : true) &&
    list(s.Resource).some((p) => wildcard(p, r.resource)) &&
    conditionHolds(s.Condition, r);
  const statements = doc.Statement as any[];
  return (
    statements.some((s) => s.Effect === 'Allow' && matches(s)) &&
    !statements.some((s) => s.Effect === 'Deny' && matches(s))
  );
}

const ALL_TAGS = {
  Zone: 'front-office',
  CostCentre: 'CC-3100',
  Owner: 'team@example.com',
  Product: 'web-shop',
  Environment: 'dev',
};

describe('the front-office permission boundary', () => {
  const doc = frontOfficeBoundary(PARAMS);

  test('is a valid IAM policy file: JSON, version 2012-10-17, every statement well formed', () => {
    const raw = JSON.parse(fs.readFileSync(FRONT_OFFICE_BOUNDARY_FILE, 'utf8'));
    expect(raw.Version).toBe('2012-10-17');
    for (const s of doc.Statement as any[]) {
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(['Allow', 'Deny']).toContain(s.Effect);
      expect(Boolean(s.Action) !== Boolean(s.NotAction)).toBe(true);
      for (const a of [...list(s.Action), ...list(s.NotAction)])
        expect(a).toMatch(/^(\*|[a-z0-9-]+:[A-Za-z*]+)$/);
      expect(list(s.Resource).length).toBeGreaterThan(0);
    }
  });

  test('fits the managed-policy size limit and leaves no placeholder unfilled', () => {
    expect(policyLength(doc)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(JSON.stringify(doc)).not.toContain('{{');
    const sids = (doc.Statement as any[]).map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.filter((s) => s.startsWith('DenyCreatingWithout'))).toEqual([
      'DenyCreatingWithoutZone',
      'DenyCreatingWithoutCostCentre',
      'DenyCreatingWithoutOwner',
      'DenyCreatingWithoutProduct',
      'DenyCreatingWithoutEnvironment',
    ]);
  });

  test("denies every action on resources tagged as back office, even one a team's policy allows", () => {
    const table = 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders-ledger';
    expect(
      allows(doc, {
        action: 'dynamodb:GetItem',
        resource: table,
        resourceTags: { Zone: 'back-office' },
      }),
    ).toBe(false);
    expect(
      allows(doc, {
        action: 'dynamodb:GetItem',
        resource: table,
        resourceTags: { Zone: 'front-office' },
      }),
    ).toBe(true);
  });

  test("lets a product read its broker credentials but not change the broker's identity resources", () => {
    const secret =
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:office-zones/OfficeZones/dev/broker/clients/product.web-shop-AbC';
    const integration = { Zone: 'integration' };
    expect(
      allows(doc, {
        action: 'secretsmanager:GetSecretValue',
        resource: secret,
        resourceTags: integration,
      }),
    ).toBe(true);
    expect(
      allows(doc, {
        action: 'secretsmanager:PutSecretValue',
        resource: secret,
        resourceTags: integration,
      }),
    ).toBe(false);
    // Even when the secret carries no tags, its name gives it away.
    expect(allows(doc, { action: 'secretsmanager:DeleteSecret', resource: secret })).toBe(false);
    const pool = 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbC';
    expect(
      allows(doc, {
        action: 'cognito-idp:UpdateUserPoolClient',
        resource: pool,
        resourceTags: integration,
      }),
    ).toBe(false);
    expect(
      allows(doc, {
        action: 'cognito-idp:CreateUserPoolClient',
        resource: pool,
        resourceTags: integration,
      }),
    ).toBe(false);
    expect(
      allows(doc, {
        action: 'iam:AttachRolePolicy',
        resource: 'arn:aws:iam::111122223333:role/OfficeZones-dev-broker-orders',
      }),
    ).toBe(false);
    expect(
      allows(doc, {
        action: 'ssm:PutParameter',
        resource:
          'arn:aws:ssm:eu-west-1:111122223333:parameter/office-zones/OfficeZones/dev/broker/api-url',
      }),
    ).toBe(false);
    expect(
      allows(doc, {
        action: 'ssm:GetParameter',
        resource:
          'arn:aws:ssm:eu-west-1:111122223333:parameter/office-zones/OfficeZones/dev/broker/api-url',
      }),
    ).toBe(true);
  });

  test('denies creating a resource without every cost tag', () => {
    const fn = 'arn:aws:lambda:eu-west-1:111122223333:function:extra';
    expect(
      allows(doc, { action: 'lambda:CreateFunction', resource: fn, requestTags: ALL_TAGS }),
    ).toBe(true);
    for (const key of Object.keys(ALL_TAGS)) {
      const partial: Record<string, string> = { ...ALL_TAGS };
      delete partial[key];
      expect({
        key,
        allowed: allows(doc, {
          action: 'lambda:CreateFunction',
          resource: fn,
          requestTags: partial,
        }),
      }).toEqual({ key, allowed: false });
    }
  });

  test('denies roles without this boundary, and removing or changing the boundary', () => {
    const role = 'arn:aws:iam::111122223333:role/extra';
    expect(
      allows(doc, {
        action: 'iam:CreateRole',
        resource: role,
        requestTags: ALL_TAGS,
        permissionsBoundary: PARAMS.boundaryPolicyArn,
      }),
    ).toBe(true);
    expect(allows(doc, { action: 'iam:CreateRole', resource: role, requestTags: ALL_TAGS })).toBe(
      false,
    );
    expect(allows(doc, { action: 'iam:DeleteRolePermissionsBoundary', resource: role })).toBe(
      false,
    );
    expect(
      allows(doc, { action: 'iam:CreatePolicyVersion', resource: PARAMS.boundaryPolicyArn }),
    ).toBe(false);
  });
});
