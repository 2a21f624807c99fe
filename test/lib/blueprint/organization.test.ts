import {
  buildsEnterpriseCostManagement,
  environmentBlueprints,
  organizationPlacement,
  parseBlueprint,
  SCPS_PER_TARGET,
} from '../../../lib/blueprint';
import { problemsOf, referenceInput } from '../../helpers';
import { multiAccountInput, OUS } from '../../support/multi-account';

describe('organisation policies by environment (DEC-038)', () => {
  test('a blueprint without integrationOuIds parses as before, with none', () => {
    const input = referenceInput();
    input.organization = { frontOfficeOuIds: [OUS.front], backOfficeOuIds: [OUS.back] };
    expect(parseBlueprint(input).organization).toEqual({
      frontOfficeOuIds: [OUS.front],
      backOfficeOuIds: [OUS.back],
      integrationOuIds: [],
      existingScpsPerOu: 1,
    });
  });

  test('the quick start builds its organisation stack with the blueprint OUs', () => {
    const input = referenceInput();
    input.organization = { frontOfficeOuIds: [OUS.front], backOfficeOuIds: [OUS.back] };
    const blueprint = parseBlueprint(input);
    expect(organizationPlacement(blueprint)).toEqual({
      organization: blueprint.organization,
      shared: false,
    });
    expect(organizationPlacement(parseBlueprint(referenceInput()))).toBeUndefined();
  });

  test("environments share the blueprint's organisation: one stack, in the first one's stage", () => {
    const [test, prod] = environmentBlueprints(parseBlueprint(multiAccountInput()));
    expect(organizationPlacement(test)).toMatchObject({ shared: true, regions: ['eu-west-2'] });
    expect(organizationPlacement(prod)).toBeUndefined();
    expect(buildsEnterpriseCostManagement(test)).toBe(true);
    expect(buildsEnterpriseCostManagement(prod)).toBe(false);
  });

  test("an environment's own organisation gets a stack of its own", () => {
    const input = multiAccountInput() as any;
    input.environments[1].organization = {
      frontOfficeOuIds: ['ou-ab12-prodfront'],
      backOfficeOuIds: ['ou-ab12-prodback1'],
    };
    const [test, prod] = environmentBlueprints(parseBlueprint(input));
    expect(organizationPlacement(test)).toMatchObject({ shared: true });
    expect(organizationPlacement(prod)).toMatchObject({
      shared: false,
      organization: { frontOfficeOuIds: ['ou-ab12-prodfront'], integrationOuIds: [] },
    });
  });

  test('fails when an OU is named for two zones', () => {
    const input = multiAccountInput() as any;
    input.organization.backOfficeOuIds = [OUS.back, OUS.front];
    expect(problemsOf(input)).toEqual([
      `organization.backOfficeOuIds[1]: ${OUS.front} is already named at organization.frontOfficeOuIds[0]: an OU is in one zone and receives the Office Zones policies once (a second copy would attach its SCPs twice); name it once, or give each environment its own OUs (received: "${OUS.front}")`,
    ]);
  });

  test('fails when two environments attach their policies to the same OU', () => {
    const input = multiAccountInput() as any;
    input.environments[1].organization = {
      frontOfficeOuIds: [OUS.front],
      backOfficeOuIds: ['ou-ab12-prodback1'],
    };
    expect(problemsOf(input)).toEqual([
      `environments[1].organization.frontOfficeOuIds[0]: ${OUS.front} is already named at organization.frontOfficeOuIds[0]: an OU is in one zone and receives the Office Zones policies once (a second copy would attach its SCPs twice); name it once, or give each environment its own OUs (received: "${OUS.front}")`,
    ]);
  });

  test('fails when an OU would hold more SCPs than the quota of 5, with the count and the fix', () => {
    expect(SCPS_PER_TARGET).toBe(5);
    const input = multiAccountInput() as any;
    input.organization.existingScpsPerOu = 5;
    const quota = (at: string, ou: string) =>
      `organization.${at}: ${ou} would hold 6 SCPs attached directly (5 already there, existingScpsPerOu, and 1 of Office Zones'); AWS Organizations allows at most 5 per root, OU or account (quota "Maximum number of SCPs attached to a root, OU, or account", not adjustable): merge or detach SCPs on ${ou}, or name a child OU for Office Zones (received: "${ou}")`;
    expect(problemsOf(input)).toEqual([
      quota('frontOfficeOuIds[0]', OUS.front),
      quota('backOfficeOuIds[0]', OUS.back),
      quota('integrationOuIds[0]', OUS.integration),
    ]);
  });

  test('fails when existingScpsPerOu is outside 0 to 5', () => {
    const input = multiAccountInput() as any;
    input.organization.existingScpsPerOu = 6;
    expect(problemsOf(input)).toContainEqual(
      expect.stringMatching(/^organization\.existingScpsPerOu: /),
    );
  });

  test("the blueprint's organisation is not counted when every environment has its own", () => {
    const input = multiAccountInput() as any;
    input.environments[0].organization = { frontOfficeOuIds: [OUS.front], backOfficeOuIds: [] };
    input.environments[1].organization = {
      frontOfficeOuIds: ['ou-ab12-prodfront'],
      backOfficeOuIds: [],
    };
    expect(() => parseBlueprint(input)).not.toThrow();
  });
});
