import { Template } from 'aws-cdk-lib/assertions';
import type { BlueprintInput } from '../../../lib/blueprint';
import {
  cloudFormationExecutionRoleName,
  maintainerRoleName,
  operatorRoleName,
} from '../../../lib/blueprint/names';
import { allStacks } from '../../../lib/stacks/office-zones';
import { buildReference, referenceInput } from '../../helpers';
import { ACCOUNT, arnOf, concrete, decide, REGION } from '../../support/iam-simulation';

/**
 * What the back office's policies let AWS do, decided by the IAM engine (`@cloud-copilot/iam-simulate`)
 * over the synthesized templates: a simulation with the account and region fixed, not a deploy.
 */
type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

function backOffice(input?: BlueprintInput) {
  const { app, blueprint, stacks } = buildReference(input);
  app.synth();
  const resources = Template.fromStack(stacks.backOffice).toJSON().Resources as Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const only = (type: string, pick: (id: string, r: any) => boolean = () => true) => {
    const found = ofType(type).filter(([id, r]) => pick(id, r));
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  const keyId = only('AWS::KMS::Key')[0];
  const key = {
    arn: arnOf(resources, keyId),
    policy: concrete(resources, resources[keyId].Properties!.KeyPolicy),
  };
  const roleNamed = (name: string) =>
    ofType('AWS::IAM::Role').find(([, r]) => r.Properties?.RoleName === name)?.[0];
  /** The identity policies of a role: inline ones and every AWS::IAM::Policy attached to it. */
  const identityPolicies = (roleId: string) =>
    [
      ...(resources[roleId].Properties!.Policies ?? []).map((p: any) => p.PolicyDocument),
      ...ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties!.Roles.some((r: any) => r.Ref === roleId))
        .map(([, p]) => p.Properties!.PolicyDocument),
    ].map((doc) => concrete(resources, doc));
  const queuePolicy = (queueId: string) =>
    concrete(
      resources,
      only('AWS::SQS::QueuePolicy', (_, p) =>
        p.Properties.Queues.some((q: any) => q.Ref === queueId),
      )[1].Properties!.PolicyDocument,
    );
  const table = (name: string) => {
    const [id, r] = only('AWS::DynamoDB::Table', (_, t) => t.Properties.TableName === name);
    return {
      arn: arnOf(resources, id),
      policy: concrete(resources, r.Properties!.ResourcePolicy.PolicyDocument),
    };
  };
  return {
    app,
    blueprint,
    stacks,
    resources,
    ofType,
    key,
    roleNamed,
    identityPolicies,
    queuePolicy,
    table,
  };
}

let reference: ReturnType<typeof backOffice> | undefined;
/** The reference's back office, built once for the tests that only read it. */
const referenceZone = () => (reference ??= backOffice());

/** Variants of the reference, built once each for the tests that need them. */
let variants: { custom: ReturnType<typeof backOffice>; bare: ReturnType<typeof backOffice> };
function variant(which: 'custom' | 'bare') {
  if (!variants) {
    // Another bootstrap qualifier, and catalogue maintainers in another account.
    const custom = referenceInput();
    custom.deployment = { bootstrapQualifier: 'acme01' };
    custom.backOffice.capabilities[1].maintainers = [
      '444455556666',
      'arn:aws:iam::444455556666:role/editors',
    ];
    // No maintainers and no operators.
    const bare = referenceInput();
    delete bare.backOffice.capabilities[1].maintainers;
    delete bare.backOffice.operators;
    variants = { custom: backOffice(custom), bare: backOffice(bare) };
  }
  return variants[which];
}

const ADMIN = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

describe('CloudWatch alarms reach IT operations', () => {
  const { app, stacks } = buildReference();
  app.synth();
  const templates = new Map(
    allStacks(stacks).map((stack) => [stack.stackName, Template.fromStack(stack).toJSON()]),
  );

  /**
   * The topic an alarm action names, in the stack that holds it: a `Ref` in the alarm's own
   * template, or a reference to an output of another stack (the back-office operations stack's
   * alarms notify the back office's topic).
   */
  function topicOf(stackName: string, action: any): { resources: Resources; topicId: string } {
    const other = action['Fn::GetStackOutput'] ?? undefined;
    if (!other) return { resources: templates.get(stackName)!.Resources, topicId: action.Ref };
    const producer = templates.get(other.StackName)!;
    return {
      resources: producer.Resources,
      topicId: producer.Outputs[other.OutputName].Value.Ref,
    };
  }

  /** Every alarm of the reference with the topics it notifies. */
  function alarmsAndTopics() {
    const found: { alarmArn: string; resources: Resources; topicId: string }[] = [];
    for (const [stackName, template] of templates) {
      const resources = template.Resources as Resources;
      for (const [alarmId, alarm] of Object.entries(resources)) {
        if (alarm.Type !== 'AWS::CloudWatch::Alarm') continue;
        for (const action of [
          ...(alarm.Properties!.AlarmActions ?? []),
          ...(alarm.Properties!.OKActions ?? []),
        ])
          found.push({ alarmArn: arnOf(resources, alarmId), ...topicOf(stackName, action) });
      }
    }
    return found;
  }

  test("every topic an alarm of the reference notifies lets that account's alarms publish, and no other account's", async () => {
    let checked = 0;
    for (const { alarmArn, resources, topicId } of alarmsAndTopics()) {
      expect(resources[topicId]?.Type).toBe('AWS::SNS::Topic');
      const policy = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::SNS::TopicPolicy' &&
          r.Properties!.Topics.some((t: any) => t.Ref === topicId),
      );
      const request = {
        principal: 'cloudwatch.amazonaws.com',
        action: 'sns:Publish',
        resource: arnOf(resources, topicId),
        resourcePolicy: policy && concrete(resources, policy.Properties!.PolicyDocument),
      };
      expect(
        await decide({
          ...request,
          context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': alarmArn },
        }),
      ).toBe('Allowed');
      expect(
        await decide({
          ...request,
          context: {
            'aws:SourceAccount': '444455556666',
            'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:444455556666:alarm:x`,
          },
        }),
      ).not.toBe('Allowed');
      checked++;
    }
    // 4 alarms per command capability, 1 per ledger (orders has two), 1 for the catalogue; alarm and OK actions.
    expect(checked).toBe(2 * (4 + 2 + 1));
  });

  test("the key of every topic an alarm notifies lets CloudWatch encrypt the notification for this account's topics", () => {
    // This reads the statement; the access paths (AlarmNotifications) evaluate it with the engine,
    // which needs runUnsafeSimulation for encryption-context keys with a colon in their name (DEC-010).
    const found = alarmsAndTopics();
    expect(found.length).toBeGreaterThan(0);
    for (const { resources, topicId } of found) {
      const keyId = resources[topicId].Properties!.KmsMasterKeyId['Fn::GetAtt'][0];
      const statements = concrete(resources, resources[keyId].Properties!.KeyPolicy)
        .Statement as any[];
      const allow = statements.find(
        (s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com',
      );
      expect(allow).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
      const pattern: string = allow.Condition.StringLike['kms:EncryptionContext:aws:sns:topicArn'];
      expect(pattern).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:*`);
      expect(arnOf(resources, topicId).startsWith(pattern.slice(0, -1))).toBe(true);
    }
  });
});

describe("the zone key admits the deploying role for what creating the zone's resources needs", () => {
  const zone = referenceZone();
  const deployer = (qualifier = 'hnb659fds') =>
    `arn:aws:iam::${ACCOUNT}:role/${cloudFormationExecutionRoleName({ deployment: { bootstrapQualifier: qualifier } }, ACCOUNT, REGION)}`;
  const use = (principal: string, action: string, viaService?: string) =>
    decide({
      principal,
      action,
      resource: zone.key.arn,
      context: viaService ? { 'kms:ViaService': `${viaService}.${REGION}.amazonaws.com` } : {},
      identityPolicies: [ADMIN],
      resourcePolicy: zone.key.policy,
    });

  test('the CloudFormation execution role may decrypt and generate data keys through AWS Backup (the vault) and DynamoDB (the ledgers)', async () => {
    for (const service of ['backup', 'dynamodb'])
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey'])
        expect(await use(deployer(), action, service)).toBe('Allowed');
    expect(await use(deployer(), 'kms:CreateGrant', 'backup')).toBe('Allowed');
    expect(await use(deployer(), 'kms:DescribeKey')).toBe('Allowed');
  });

  test('fails when the execution role uses the key directly, through another service or for another operation', async () => {
    expect(await use(deployer(), 'kms:Decrypt')).toBe('ExplicitlyDenied');
    expect(await use(deployer(), 'kms:GenerateDataKey', 'sqs')).toBe('ExplicitlyDenied');
    expect(await use(deployer(), 'kms:Encrypt', 'backup')).toBe('ExplicitlyDenied');
    expect(await use(deployer(), 'kms:GenerateDataKeyWithoutPlaintext', 'dynamodb')).toBe(
      'ExplicitlyDenied',
    );
    expect(await use(deployer('other'), 'kms:GenerateDataKey', 'backup')).toBe('ExplicitlyDenied');
  });

  test("the role follows the blueprint's bootstrap qualifier", async () => {
    const custom = variant('custom');
    const decideFor = (principal: string) =>
      decide({
        principal,
        action: 'kms:GenerateDataKey',
        resource: custom.key.arn,
        context: { 'kms:ViaService': `backup.${REGION}.amazonaws.com` },
        identityPolicies: [ADMIN],
        resourcePolicy: custom.key.policy,
      });
    expect(await decideFor(deployer('acme01'))).toBe('Allowed');
    expect(await decideFor(deployer())).toBe('ExplicitlyDenied');
  });
});

describe('a maintainer keeps the catalogue', () => {
  const zone = referenceZone();
  const roleName = maintainerRoleName(zone.blueprint, 'catalog');
  const roleId = zone.roleNamed(roleName)!;
  const principal = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  const catalog = zone.table('OfficeZones-dev-catalog-ledger');

  test('the maintainer role may write and read the catalogue ledger, past its resource policy and the zone key', async () => {
    const identityPolicies = zone.identityPolicies(roleId);
    for (const action of [
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
    ])
      expect(
        await decide({
          principal,
          action,
          resource: catalog.arn,
          identityPolicies,
          resourcePolicy: catalog.policy,
        }),
      ).toBe('Allowed');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      expect(
        await decide({
          principal,
          action,
          resource: zone.key.arn,
          context: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` },
          identityPolicies,
          resourcePolicy: zone.key.policy,
        }),
      ).toBe('Allowed');
  });

  test('people of the account may assume it, as the blueprint declares (this-account)', async () => {
    const trust = concrete(
      zone.resources,
      zone.resources[roleId].Properties!.AssumeRolePolicyDocument,
    );
    expect(
      await decide({
        principal: `arn:aws:iam::${ACCOUNT}:role/merchandising`,
        action: 'sts:AssumeRole',
        resource: principal,
        identityPolicies: [ADMIN],
        resourcePolicy: trust,
      }),
    ).toBe('Allowed');
  });

  test("fails when the maintainer writes another capability's ledger, or anyone else writes the catalogue", async () => {
    const identityPolicies = zone.identityPolicies(roleId);
    const orders = zone.table('OfficeZones-dev-orders-ledger');
    expect(
      await decide({
        principal,
        action: 'dynamodb:PutItem',
        resource: orders.arn,
        identityPolicies,
        resourcePolicy: orders.policy,
      }),
    ).toBe('ExplicitlyDenied');
    expect(
      await decide({
        principal: `arn:aws:iam::${ACCOUNT}:role/someone-else`,
        action: 'dynamodb:PutItem',
        resource: catalog.arn,
        identityPolicies: [ADMIN],
        resourcePolicy: catalog.policy,
      }),
    ).toBe('ExplicitlyDenied');
  });

  test('a capability without maintainers keeps no maintainer role', () => {
    expect(zone.roleNamed(maintainerRoleName(zone.blueprint, 'orders'))).toBeUndefined();
    const bare = variant('bare');
    expect(
      bare
        .ofType('AWS::IAM::Role')
        .map(([, r]) => r.Properties?.RoleName)
        .filter(Boolean),
    ).not.toContain(roleName);
  });

  test('maintainers from another account or role become the trust policy', () => {
    const other = variant('custom');
    const trust = other.resources[other.roleNamed(roleName)!].Properties!.AssumeRolePolicyDocument;
    expect(concrete(other.resources, trust).Statement[0].Principal.AWS.sort()).toEqual([
      'arn:aws:iam::444455556666:role/editors',
      'arn:aws:iam::444455556666:root',
    ]);
  });
});

describe('an operator reads and redrives the dead-letter queue', () => {
  const zone = referenceZone();
  const roleName = operatorRoleName(zone.blueprint);
  const roleId = zone.roleNamed(roleName)!;
  const principal = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  const queues = Object.fromEntries(
    zone
      .ofType('AWS::SQS::Queue')
      .map(([id]) => [id.includes('DeadLetter') ? 'dlq' : 'intake', id]),
  );
  const onQueue = (
    which: 'dlq' | 'intake',
    action: string,
    who = principal,
    identityPolicies = zone.identityPolicies(roleId),
  ) =>
    decide({
      principal: who,
      action,
      resource: arnOf(zone.resources, queues[which]),
      identityPolicies,
      resourcePolicy: zone.queuePolicy(queues[which]),
    });

  test('the operator role may read the dead-letter queue, start, list and cancel a message move task, and send to the intake queue it moves to', async () => {
    for (const action of [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
      'sqs:CancelMessageMoveTask',
    ])
      expect(await onQueue('dlq', action)).toBe('Allowed');
    expect(await onQueue('intake', 'sqs:SendMessage')).toBe('Allowed');
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey'])
      expect(
        await decide({
          principal,
          action,
          resource: zone.key.arn,
          context: { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` },
          identityPolicies: zone.identityPolicies(roleId),
          resourcePolicy: zone.key.policy,
        }),
      ).toBe('Allowed');
  });

  test('fails when the operator consumes the intake queue or writes to the dead-letter queue, or someone else redrives', async () => {
    expect(await onQueue('intake', 'sqs:ReceiveMessage')).not.toBe('Allowed');
    expect(await onQueue('dlq', 'sqs:SendMessage')).toBe('ExplicitlyDenied');
    expect(
      await onQueue(
        'dlq',
        'sqs:StartMessageMoveTask',
        `arn:aws:iam::${ACCOUNT}:role/someone-else`,
        [ADMIN],
      ),
    ).toBe('ExplicitlyDenied');
  });

  test('a back office without operators keeps no operator role', () => {
    const bare = variant('bare');
    expect(bare.roleNamed(roleName)).toBeUndefined();
  });
});
