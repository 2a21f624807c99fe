import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { trustConditionProblems } from '../../policies/trust';
import { buildReference, referenceInput } from '../helpers';
import { allStacks } from '../../lib/stacks/office-zones';

/** Every trust policy of every stack the reference builds (with the organisation stack too). */
function trustPolicies(): { where: string; document: unknown }[] {
  const input = referenceInput() as any;
  input.organization = {
    frontOfficeOuIds: ['ou-abcd-11111111'],
    backOfficeOuIds: ['ou-abcd-22222222'],
  };
  const { stacks } = buildReference(input);
  return allStacks(stacks).flatMap((stack: Stack) =>
    Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role')).map(([id, role]) => ({
      where: `${stack.stackName}/${id}`,
      document: role.Properties.AssumeRolePolicyDocument,
    })),
  );
}

describe('trust policies', () => {
  test('fails when a trust policy conditions on a key its service is not documented to send', () => {
    const problems = trustPolicies().flatMap(({ where, document }) =>
      trustConditionProblems(document).map((p) => `${where}: ${p.service} ${p.operator} ${p.key}`),
    );
    expect(problems).toEqual([]);
  });

  test('finds the condition that made every broker route answer 500', () => {
    expect(
      trustConditionProblems({
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'apigateway.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
      }),
    ).toEqual([
      { service: 'apigateway.amazonaws.com', operator: 'StringEquals', key: 'aws:SourceAccount' },
    ]);
  });

  test('a service not in the table may be conditioned on nothing', () => {
    expect(
      trustConditionProblems({
        Statement: {
          Effect: 'Allow',
          Principal: { Service: ['states.amazonaws.com'] },
          Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:states:*:1:stateMachine:*' } },
        },
      }),
    ).toHaveLength(1);
  });
});
