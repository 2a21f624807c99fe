import * as iam from 'aws-cdk-lib/aws-iam';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BackOfficeZone } from '../../../constructs/back-office/back-office-zone';
import { errorOf, testStack } from '../../helpers';

function zone(
  props: Partial<ConstructorParameters<typeof BackOfficeZone>[2]> = {},
  extend?: (zone: BackOfficeZone) => void,
) {
  const stack = testStack();
  const backOffice = new BackOfficeZone(stack, 'Zone', {
    operationsEmail: 'ops@example.com',
    capabilities: [
      {
        name: 'orders',
        ledger: { partitionKey: 'orderId' },
        workflow: 'book-to-bill',
        tableName: 'acme-orders-ledger',
      },
      {
        name: 'catalog',
        ledger: { partitionKey: 'category', sortKey: 'sku' },
        tableName: 'acme-catalog-ledger',
      },
    ],
    ...props,
  });
  backOffice
    .capability('orders')
    .admit('arn:aws:iam::123456789012:role/acme-broker-orders', 'submit');
  backOffice
    .capability('orders')
    .admit('arn:aws:iam::123456789012:role/acme-broker-orders', 'read');
  extend?.(backOffice);
  return { stack, backOffice, template: Template.fromStack(stack) };
}

/** Built once for the tests that only read it; tests that change a zone build their own. */
let shared: ReturnType<typeof zone> | undefined;
const sharedZone = () => (shared ??= zone());

describe('BackOfficeZone network', () => {
  test('has isolated subnets only: no internet gateway, no NAT, no public subnet', () => {
    const { template } = sharedZone();
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0' }, 0);
  });

  test('logs every flow into a KMS-encrypted log group with retention', () => {
    const { template, stack, backOffice } = sharedZone();
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      ResourceType: 'VPC',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: stack.resolve(backOffice.key.keyArn),
      RetentionInDays: 365,
    });
  });

  test('strips the default security group', () => {
    const { template } = sharedZone();
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('reaches DynamoDB through a gateway endpoint limited to its tables, and SQS through an interface endpoint', () => {
    const { template } = sharedZone();
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('dynamodb')])],
      }),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: Match.arrayWith(['dynamodb:PutItem']) }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('[.]sqs$')])] },
    });
  });

  test('runs the workflow in the isolated subnets, with HTTPS egress only', () => {
    const { template } = sharedZone();
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({ WORKFLOW: 'book-to-bill', ID_FIELD: 'orderId' }),
      },
      TracingConfig: { Mode: 'Active' },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'orders workflow: HTTPS to the zone endpoints only',
      SecurityGroupEgress: [
        {
          CidrIp: '0.0.0.0/0',
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
          Description: Match.anyValue(),
        },
      ],
    });
    template.resourcePropertiesCountIs(
      'AWS::EC2::SecurityGroupIngress',
      { CidrIp: '0.0.0.0/0' },
      0,
    );
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('BackOfficeZone systems of record', () => {
  test('book to bill adds an invoices ledger with the same protections', () => {
    const { template, stack, backOffice } = sharedZone();
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        TableName: 'acme-orders-ledger-invoices',
        KeySchema: [{ AttributeName: 'invoiceId', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: Match.objectLike({
          KMSMasterKeyId: stack.resolve(backOffice.key.keyArn),
        }),
      }),
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('a ledger denies data access to every principal but the workflow, the broker and AWS Backup, and requires TLS', () => {
    const { template } = sharedZone();
    const orders = Object.values(
      template.findResources('AWS::DynamoDB::Table', {
        Properties: { TableName: 'acme-orders-ledger' },
      }),
    )[0] as any;
    const statements = orders.Properties.ResourcePolicy.PolicyDocument.Statement;
    const readDeny = statements.find(
      (s: any) =>
        s.Effect === 'Deny' && ([] as string[]).concat(s.Action).includes('dynamodb:GetItem'),
    );
    expect(readDeny.Principal).toEqual({ AWS: '*' });
    expect(readDeny.Condition.Bool).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
    expect(JSON.stringify(readDeny.Condition.ArnNotLike['aws:PrincipalArn'])).toContain(
      'arn:aws:iam::123456789012:role/acme-broker-orders',
    );
    expect(JSON.stringify(readDeny.Condition.ArnNotLike['aws:PrincipalArn'])).toMatch(
      /OrdersWorkflowRole/,
    );
    const writeDeny = statements.find(
      (s: any) =>
        s.Effect === 'Deny' && ([] as string[]).concat(s.Action).includes('dynamodb:PutItem'),
    );
    expect(JSON.stringify(writeDeny.Condition.ArnNotLike['aws:PrincipalArn'])).not.toContain(
      'acme-broker-orders',
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  /** The explicit denies of one queue's policy, by the actions they deny. */
  function queueDenies(template: Template, stack: any, queue: any) {
    const ref = stack.resolve(queue.queueArn)['Fn::GetAtt'][0];
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((p: any) =>
      p.Properties.Queues.some((q: any) => q.Ref === ref),
    ) as any;
    return policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny');
  }

  test('the intake queue admits only the broker to send and only the workflow to receive', () => {
    const { template, stack, backOffice } = sharedZone();
    const denies = queueDenies(template, stack, backOffice.capability('orders').intakeQueue);
    const send = denies.find((s: any) => s.Action === 'sqs:SendMessage');
    expect(send.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::123456789012:role/acme-broker-orders',
    ]);
  });

  test('the dead-letter queue admits only the workflow to send, and only the operator role to read and redrive', () => {
    let operator: iam.IRole;
    const { template, stack, backOffice } = zone({}, (z) => {
      operator = z.addOperatorRole({
        assumedBy: new iam.AccountRootPrincipal(),
        roleName: 'acme-operator',
      });
    });
    const system = backOffice.capability('orders') as any;
    const denies = queueDenies(template, stack, system.deadLetterQueue);
    const admitted = (action: string) =>
      stack.resolve(
        denies.find((s: any) => [].concat(s.Action).includes(action as never)).Condition.ArnNotLike[
          'aws:PrincipalArn'
        ],
      );
    const workflow = stack.resolve(backOffice.workflows.get('orders')!.role.roleArn);
    expect(admitted('sqs:SendMessage')).toEqual([workflow]);
    for (const action of ['sqs:ReceiveMessage', 'sqs:StartMessageMoveTask', 'sqs:PurgeQueue'])
      expect(admitted(action)).toEqual([stack.resolve(operator!.roleArn)]);
  });

  test('the zone key is rotated and denies use to principals that were not admitted', () => {
    const { template } = sharedZone();
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyUseByPrincipalsNotAdmitted',
            Effect: 'Deny',
            Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
            Condition: {
              ArnNotLike: {
                'aws:PrincipalArn': Match.arrayWith([
                  'arn:aws:iam::123456789012:role/acme-broker-orders',
                ]),
              },
              Bool: { 'aws:PrincipalIsAWSService': 'false' },
            },
          }),
        ]),
      },
    });
  });

  test('the workflow may only read and write its ledgers and refuse to the dead-letter queue', () => {
    const { template, stack, backOffice } = sharedZone();
    const role = stack.resolve(
      (backOffice.workflows.get('orders')!.role.node.defaultChild as any).logicalId,
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      p.Properties.Roles.some((r: any) => r.Ref === role),
    ) as any[];
    const actions = policies
      .flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((s: any) =>
          ([] as string[]).concat(s.Action),
        ),
      )
      .sort();
    expect([...new Set(actions)]).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'ec2:AssignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:UnassignPrivateIpAddresses',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});

describe('BackOfficeZone backups and operations', () => {
  test('backs up every ledger daily and monthly into a vault encrypted with the zone key', () => {
    const { template, stack, backOffice } = zone({
      backup: { dailyRetentionDays: 14, monthlyRetentionDays: 400 },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: stack.resolve(backOffice.key.keyArn),
      AccessPolicy: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.anyValue(),
        BackupPlanRule: [
          Match.objectLike({ RuleName: 'Daily', Lifecycle: { DeleteAfterDays: 14 } }),
          Match.objectLike({ RuleName: 'Monthly', Lifecycle: { DeleteAfterDays: 400 } }),
        ],
      },
    });
    const selected = Object.values(template.findResources('AWS::Backup::BackupSelection')).flatMap(
      (s: any) => s.Properties.BackupSelection.Resources,
    );
    const tables = Object.keys(template.findResources('AWS::DynamoDB::Table'));
    expect(selected.map((r: any) => r['Fn::GetAtt'][0]).sort()).toEqual(tables.sort());
  });

  test('locks the vault when asked', () => {
    const { template } = zone({
      backup: { vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 } },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400, ChangeableForDays: 3 },
    });
  });

  test('alarms on dead letters, workflow failures, throttling and stale intake, to an encrypted topic IT operations subscribe to', () => {
    const { template, stack, backOffice } = sharedZone();
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: stack.resolve(backOffice.key.keyArn),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const topic = stack.resolve(backOffice.operations.topic.topicArn);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    const metrics = alarms.map((a) => a.Properties.MetricName ?? 'expression').sort();
    expect(metrics).toEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'Throttles',
      'expression',
      'expression',
      'expression',
    ]);
  });

  test('with `alarms: false` it keeps the topic and leaves the alarms to a `BackOfficeAlarms` elsewhere', () => {
    const { template, backOffice } = zone({ alarms: false });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(backOffice.alarms).toBeUndefined();
  });

  test('names a workflow function when asked, so alarms elsewhere find it by name', () => {
    const { template } = zone({
      capabilities: [
        {
          name: 'orders',
          ledger: { partitionKey: 'orderId' },
          workflow: 'record',
          workflowFunctionName: 'acme-orders-workflow',
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'acme-orders-workflow',
    });
  });

  test('fails when a capability gets a second maintainer role, an unknown capability one, or the zone a second operator role', () => {
    const { backOffice } = zone({}, (z) => {
      z.addMaintainerRole('catalog', { assumedBy: new iam.AccountRootPrincipal() });
      z.addOperatorRole({ assumedBy: new iam.AccountRootPrincipal() });
    });
    const again = { assumedBy: new iam.AccountRootPrincipal() };
    expect(errorOf(() => backOffice.addMaintainerRole('catalog', again))).toBe(
      'capability catalog already has a maintainer role',
    );
    expect(errorOf(() => backOffice.addMaintainerRole('billing', again))).toBe(
      'the back office has no capability named billing',
    );
    expect(errorOf(() => backOffice.addOperatorRole(again))).toBe(
      'the back office already has an operator role',
    );
    expect([...backOffice.maintainerRoles.keys()]).toEqual(['catalog']);
  });

  test('fails when a second capability takes a name already in the zone', () => {
    const { backOffice } = zone();
    expect(
      errorOf(() => backOffice.addCapability({ name: 'orders', ledger: { partitionKey: 'id' } })),
    ).toBe('the back office already has a capability named orders');
  });
});
