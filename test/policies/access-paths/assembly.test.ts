import { Assembly } from '../../../policies/access-paths/assembly';
import type { StackTemplate } from '../../../policies/access-paths/model';

const stacks: StackTemplate[] = [
  {
    stackName: 'Producer',
    zone: 'back-office',
    template: {
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'intake' } },
        Param: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/app/queue-arn', Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
        },
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { TableName: { 'Fn::If': ['IsProd', 'ledger-prod', 'ledger-dev'] } },
        },
        Skipped: { Type: 'AWS::SQS::Queue', Condition: 'IsNotProd', Properties: {} },
      },
      Outputs: { QueueUrl: { Value: { Ref: 'Queue' }, Export: { Name: 'Producer:QueueUrl' } } },
    },
  },
  {
    stackName: 'Consumer',
    zone: 'integration',
    template: {
      Parameters: {
        QueueArn: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/queue-arn' },
      },
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: { 'Fn::Sub': ['${Prefix}-reader', { Prefix: 'app' }] },
            Policies: [
              {
                PolicyName: 'Read',
                PolicyDocument: {
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 'sqs:ReceiveMessage',
                      Resource: { Ref: 'QueueArn' },
                    },
                    {
                      Effect: 'Allow',
                      Action: 'sqs:SendMessage',
                      Resource: {
                        'Fn::Sub':
                          'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:intake',
                      },
                    },
                    {
                      Effect: 'Allow',
                      Action: 'sqs:GetQueueUrl',
                      Resource: { 'Fn::ImportValue': 'Producer:QueueUrl' },
                    },
                    {
                      Effect: 'Allow',
                      Action: 'sqs:ListQueues',
                      Resource: {
                        'Fn::Join': ['', [{ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }]],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    },
  },
];

describe('Assembly (the simulated deployment)', () => {
  const asm = new Assembly(stacks, { account: '111111111111', region: 'eu-west-1' });

  it('resolves Ref, GetAtt, Sub, Join, Select, Split, ImportValue and SSM-typed parameters into one account and region', () => {
    const role = asm.get('Consumer', 'Role')!;
    expect(role.props.RoleName).toBe('app-reader');
    expect(role.props.Policies[0].PolicyDocument.Statement.map((s: any) => s.Resource)).toEqual([
      'arn:aws:sqs:eu-west-1:111111111111:intake',
      'arn:aws:sqs:eu-west-1:111111111111:intake',
      'https://sqs.eu-west-1.amazonaws.com/111111111111/intake',
      'b',
    ]);
  });

  it('evaluates conditions: Fn::If picks its branch and a resource whose condition is false is left out', () => {
    expect(asm.get('Producer', 'Table')!.props.TableName).toBe('ledger-prod');
    expect(asm.get('Producer', 'Skipped')).toBeUndefined();
    expect(asm.arnOf(asm.get('Producer', 'Table')!)).toBe(
      'arn:aws:dynamodb:eu-west-1:111111111111:table/ledger-prod',
    );
  });

  it('gives resources without a name a generated one, as CloudFormation shapes them, the same on every run', () => {
    const other = new Assembly(
      [
        {
          stackName: 'S',
          zone: undefined,
          template: { Resources: { Q: { Type: 'AWS::SQS::Queue' } } },
        },
      ],
      { account: '111111111111', region: 'eu-west-1' },
    );
    expect(other.arnOf(other.get('S', 'Q')!)).toMatch(
      /^arn:aws:sqs:eu-west-1:111111111111:S-Q-[0-9A-F]{12}$/,
    );
  });
});
