import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { DEFAULT_COST_TAGS } from '../../lib/blueprint';
import {
  backupPolicyFor,
  backupPolicyProblems,
  frontOfficeScpFor,
  integrationScpFor,
  loadOrganizationPolicy,
  ORGANIZATION_POLICY_FILES,
  policySize,
  scpProblems,
  tagPolicyFor,
  tagPolicyProblems,
} from '../../policies/organizations';

type Statement = {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const statements = (doc: Record<string, unknown>) => doc.Statement as Statement[];
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const denies = (doc: Record<string, unknown>, action: string) =>
  statements(doc).filter((s) => s.Effect === 'Deny' && actions(s).includes(action));

describe('organisation policies as data', () => {
  test('every JSON file under policies/organizations is one of the policies, and parses', () => {
    const dir = path.join(__dirname, '..', '..', 'policies', 'organizations');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.values(ORGANIZATION_POLICY_FILES).sort());
    for (const name of Object.keys(
      ORGANIZATION_POLICY_FILES,
    ) as (keyof typeof ORGANIZATION_POLICY_FILES)[]) {
      expect(typeof loadOrganizationPolicy(name)).toBe('object');
    }
  });

  test('every SCP follows the IAM grammar and fits the 5,120-character limit', () => {
    for (const name of ['frontOfficeScp', 'backOfficeScp', 'integrationScp'] as const) {
      const scp = loadOrganizationPolicy(name);
      expect({ name, problems: scpProblems(scp) }).toEqual({ name, problems: [] });
      expect(policySize(scp)).toBeLessThanOrEqual(5120);
    }
  });

  test('the front-office SCP denies leaving the organisation, disabling CloudTrail or Config, and creating resources without each contract key', () => {
    const scp = loadOrganizationPolicy('frontOfficeScp');
    expect(denies(scp, 'organizations:LeaveOrganization')).toHaveLength(1);
    for (const action of [
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
    ]) {
      expect({ action, denied: denies(scp, action).length }).toEqual({ action, denied: 1 });
    }
    const untagged = denies(scp, 'dynamodb:CreateTable').map(
      (s) => Object.keys(s.Condition?.Null ?? {})[0],
    );
    expect(untagged.sort()).toEqual(
      Object.values(DEFAULT_COST_TAGS)
        .map((t) => `aws:RequestTag/${t.key}`)
        .sort(),
    );
  });

  test('the back-office SCP denies public S3, internet gateways, disabling backups and scheduling key deletion', () => {
    const scp = loadOrganizationPolicy('backOfficeScp');
    for (const action of [
      's3:PutAccountPublicAccessBlock',
      's3:PutBucketAcl',
      'ec2:CreateInternetGateway',
      'ec2:AttachInternetGateway',
      'backup:DeleteBackupPlan',
      'backup:DeleteRecoveryPoint',
      // Without AWS Backup's advanced DynamoDB backup, a ledger's backup is a DynamoDB backup,
      // which DynamoDB's own API deletes outside the vault and its access policy.
      'dynamodb:DeleteBackup',
      'kms:ScheduleKeyDeletion',
    ]) {
      expect({ action, denied: denies(scp, action).length }).toEqual({ action, denied: 1 });
    }
    expect(denies(scp, 's3:PutBucketAcl')[0].Condition).toEqual({
      StringEquals: { 's3:x-amz-acl': ['public-read', 'public-read-write', 'authenticated-read'] },
    });
  });

  test("the integration SCP denies leaving the organisation, disabling audit and detection, IAM users and keys, changes to IT's resources outside CloudFormation and creation outside the zone", () => {
    const scp = loadOrganizationPolicy('integrationScp');
    for (const action of [
      'organizations:LeaveOrganization',
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
      'guardduty:DeleteDetector',
      'guardduty:DisassociateFromAdministratorAccount',
      'securityhub:DisableSecurityHub',
      'iam:CreateUser',
      'iam:CreateAccessKey',
      'iam:CreateLoginProfile',
      'iam:PutRolePolicy',
      'iam:UpdateAssumeRolePolicy',
      'cognito-idp:UpdateUserPoolClient',
      'cognito-idp:DeleteUserPool',
      'secretsmanager:PutResourcePolicy',
      'secretsmanager:DeleteSecret',
      'sqs:CreateQueue',
    ]) {
      expect({ action, denied: denies(scp, action).length }).toEqual({ action, denied: 1 });
    }
    // The rotation function and the CLI's smoke test keep working: they write secret values and
    // client secrets, create and delete a temporary app client.
    for (const action of [
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
      'cognito-idp:AddUserPoolClientSecret',
      'cognito-idp:DeleteUserPoolClientSecret',
      'cognito-idp:CreateUserPoolClient',
      'cognito-idp:DeleteUserPoolClient',
    ]) {
      expect({ action, denied: denies(scp, action).length }).toEqual({ action, denied: 0 });
    }
    expect(denies(scp, 'iam:PutRolePolicy')[0].Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/Zone': 'integration' },
      ArnNotLike: {
        'aws:PrincipalArn': [
          'arn:*:iam::*:role/cdk-*-cfn-exec-role-*',
          'arn:*:iam::*:role/OfficeZonesBreakGlass',
        ],
      },
    });
  });

  test('the integration SCP, as the IAM engine evaluates it, lets only CloudFormation change the broker', async () => {
    const account = '111122223333';
    const scp = loadOrganizationPolicy('integrationScp');
    const fullAccess = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const decide = async (
      roleName: string,
      action: string,
      resource: string,
      context: Record<string, string> = {},
    ) => {
      const principal = `arn:aws:iam::${account}:role/${roleName}`;
      const result = await runSimulation(
        {
          request: {
            principal,
            action,
            resource: { resource, accountId: account },
            contextVariables: {
              'aws:PrincipalArn': principal,
              'aws:PrincipalAccount': account,
              'aws:SecureTransport': 'true',
              ...context,
            },
          },
          // An administrator's identity policy: only the SCP can say no.
          identityPolicies: [{ name: 'admin', policy: fullAccess }],
          serviceControlPolicies: [
            { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: fullAccess }] },
            {
              orgIdentifier: 'ou-ab12-integrat',
              policies: [
                { name: 'FullAWSAccess', policy: fullAccess },
                { name: 'integration', policy: scp },
              ],
            },
          ],
          resourceControlPolicies: [],
        },
        {},
      );
      if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
      return result.overallResult;
    };
    const brokerRole = `arn:aws:iam::${account}:role/OfficeZones-dev-broker-orders`;
    const itsZone = { 'aws:ResourceTag/Zone': 'integration' };
    const cfn = 'cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-2';
    expect(await decide('Admin', 'iam:PutRolePolicy', brokerRole, itsZone)).toBe(
      'ExplicitlyDenied',
    );
    expect(await decide(cfn, 'iam:PutRolePolicy', brokerRole, itsZone)).toBe('Allowed');
    expect(await decide('OfficeZonesBreakGlass', 'iam:PutRolePolicy', brokerRole, itsZone)).toBe(
      'Allowed',
    );
    // A role that is not the zone's (the bootstrap's, an SSO role) is not guarded by it.
    expect(
      await decide('Admin', 'iam:PutRolePolicy', `arn:aws:iam::${account}:role/Other`, {}),
    ).toBe('Allowed');
    const secret = `arn:aws:secretsmanager:eu-west-2:${account}:secret:OfficeZones/dev/broker/clients/x-AbCdEf`;
    expect(await decide('Admin', 'secretsmanager:PutResourcePolicy', secret, itsZone)).toBe(
      'ExplicitlyDenied',
    );
    expect(await decide('Rotation', 'secretsmanager:PutSecretValue', secret, itsZone)).toBe(
      'Allowed',
    );
    expect(await decide('Admin', 'iam:CreateUser', `arn:aws:iam::${account}:user/someone`)).toBe(
      'ExplicitlyDenied',
    );
    const queue = `arn:aws:sqs:eu-west-2:${account}:q`;
    expect(await decide(cfn, 'sqs:CreateQueue', queue)).toBe('ExplicitlyDenied');
    expect(
      await decide(cfn, 'sqs:CreateQueue', queue, { 'aws:RequestTag/Zone': 'integration' }),
    ).toBe('Allowed');
  });

  test('the tag policy enforces every contract key, the zone values and the cost-centre format', () => {
    const policy = loadOrganizationPolicy('tagPolicy') as any;
    expect(tagPolicyProblems(policy)).toEqual([]);
    expect(
      Object.values(policy.tags)
        .map((t: any) => t.tag_key['@@assign'])
        .sort(),
    ).toEqual(
      Object.values(DEFAULT_COST_TAGS)
        .map((t) => t.key)
        .sort(),
    );
    expect(policy.tags.zone.tag_value['@@assign']).toEqual([
      'front-office',
      'back-office',
      'integration',
    ]);
    expect(policy.tags.costcentre.tag_value['@@assign']).toEqual(['CC-*']);
  });

  test('the backup policy backs up everything tagged to the back office, daily and monthly', () => {
    const policy = backupPolicyFor('eu-west-1', 'aws') as any;
    expect(backupPolicyProblems(policy)).toEqual([]);
    const plan = policy.plans['office-zones-back-office'];
    expect(plan.regions['@@assign']).toEqual(['eu-west-1']);
    expect(Object.keys(plan.rules)).toEqual(['daily', 'monthly']);
    expect(plan.selections.tags['back-office']).toMatchObject({
      tag_key: { '@@assign': 'Zone' },
      tag_value: { '@@assign': ['back-office'] },
      iam_role_arn: {
        '@@assign': 'arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole',
      },
    });
  });

  test('a contract with other key names gets SCP guards and tag rules under those names', () => {
    const contract = {
      ...DEFAULT_COST_TAGS,
      costCentre: { key: 'cost-center', pattern: '^[0-9]{6}$' },
    };
    const tags = tagPolicyFor(contract, DEFAULT_COST_TAGS) as any;
    expect(tags.tags['cost-center']).toEqual({
      tag_key: { '@@assign': 'cost-center' },
      enforced_for: { '@@assign': ['dynamodb:table'] },
    });
    expect(tags.tags.costcentre).toBeUndefined();
    const scp = frontOfficeScpFor(contract, DEFAULT_COST_TAGS);
    expect(JSON.stringify(scp)).toContain('"aws:RequestTag/cost-center"');
    expect(JSON.stringify(scp)).not.toContain('aws:RequestTag/CostCentre');
    expect(scpProblems(scp)).toEqual([]);
    const zoneKey = { ...DEFAULT_COST_TAGS, zone: { key: 'Area', pattern: '.*' } };
    const integration = JSON.stringify(integrationScpFor(zoneKey, DEFAULT_COST_TAGS));
    expect(integration).toContain('"aws:ResourceTag/Area":"integration"');
    expect(integration).toContain('"aws:RequestTag/Area":"integration"');
    expect(integration).not.toContain('/Zone"');
  });
});

describe('policy checks can fail', () => {
  test('fails when an SCP breaks the IAM grammar or uses what SCPs do not allow', () => {
    expect(
      scpProblems({
        Version: '2008-10-17',
        Statement: [
          {
            Sid: 'a-b',
            Effect: 'Block',
            Action: 's3 GetObject',
            Resource: 'bucket',
            Principal: '*',
          },
          {
            Effect: 'Deny',
            Action: '*',
            NotAction: 's3:*',
            Resource: '*',
            Condition: { StringSame: { k: 'v' } },
          },
        ],
      }),
    ).toEqual([
      'Version: must be "2012-10-17" (received: "2008-10-17")',
      'Statement[0].Principal: is not allowed in a service control policy',
      'Statement[0].Sid: must be letters and digits (received: "a-b")',
      'Statement[0].Effect: must be Allow or Deny (received: "Block")',
      'Statement[0].Action: "s3 GetObject" is not a service:Action',
      'Statement[0].Resource: "bucket" is not "*" or an ARN',
      'Statement[1]: needs exactly one of Action and NotAction',
      'Statement[1].Condition.StringSame: is not a condition operator',
    ]);
  });

  test('fails when an SCP is over 5,120 characters', () => {
    const big = {
      Version: '2012-10-17',
      Statement: Array.from({ length: 100 }, (_, i) => ({
        Sid: `S${i}`,
        Effect: 'Deny',
        Action: 'ec2:RunInstances',
        Resource: '*',
      })),
    };
    expect(scpProblems(big).at(-1)).toMatch(/over the 5,120-character SCP limit/);
  });

  test('fails when a tag or backup policy lacks its required elements', () => {
    expect(
      tagPolicyProblems({ tags: { zone: { tag_key: { '@@assign': 'Area' }, tag_value: ['x'] } } }),
    ).toEqual([
      'tags.zone.tag_key: "Area" must be the key "zone" in its capitalisation',
      'tags.zone.tag_value: needs "@@assign" with a list of strings',
    ]);
    expect(
      backupPolicyProblems({
        plans: { p: { rules: { r: { schedule_expression: { '@@assign': 'daily' } } } } },
      }),
    ).toEqual([
      'plans.p.regions: needs "@@assign" with at least one region',
      'plans.p.rules.r.schedule_expression: needs "@@assign" with a cron() expression',
      'plans.p.rules.r.target_backup_vault_name: needs "@@assign"',
      'plans.p.selections.tags: needs at least one tag selection',
    ]);
  });
});
