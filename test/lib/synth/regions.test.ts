import { BlueprintError, parseBlueprint } from '../../../lib/blueprint';
import { checkRegions } from '../../../lib/synth/regions';
import { referenceInput } from '../../helpers';
import { multiAccountInput } from '../../support/multi-account';

const problemsOf = (input: unknown) => {
  try {
    checkRegions(parseBlueprint(input), 'b.yaml');
  } catch (e) {
    if (e instanceof BlueprintError)
      return e.problems.map((p) => `${p.path}: ${p.message} (received: ${p.received})`);
    throw e;
  }
  return [];
};

describe('the regions a blueprint deploys to', () => {
  test('the reference and the multi-account layout are in regions aws-cdk-lib knows', () => {
    expect(problemsOf(referenceInput())).toEqual([]);
    expect(problemsOf(multiAccountInput())).toEqual([]);
  });

  test('fails when a region is mistyped or in another partition, every one by path, before any stack is built', () => {
    const input = multiAccountInput() as { environments: { region?: string }[] };
    input.environments[0].region = 'eu-west-9';
    input.environments[1].region = 'us-gov-west-1';
    expect(problemsOf(input)).toEqual([
      'environments[0].region: is not an AWS region aws-cdk-lib knows (e.g. eu-west-2, us-east-1); check the spelling (received: "eu-west-9")',
      'environments[1].region: is in the aws-us-gov partition; Office Zones builds for the commercial partition (aws), where its accounts are (received: "us-gov-west-1")',
    ]);
    expect(problemsOf({ ...referenceInput(), region: 'eu-west-9' })).toEqual([
      'region: is not an AWS region aws-cdk-lib knows (e.g. eu-west-2, us-east-1); check the spelling (received: "eu-west-9")',
    ]);
  });
});
