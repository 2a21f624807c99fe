import type { BlueprintInput } from '../../lib/blueprint';
import { referenceInput } from '../helpers';

/** OU ids of the multi-account tests: one per zone. */
export const OUS = {
  front: 'ou-ab12-frontoff1',
  back: 'ou-ab12-backoff01',
  integration: 'ou-ab12-integrat1',
} as const;

/**
 * The reference blueprint as two environments (test, prod), each zone in its own account, the
 * management account shared, the web shop in prod in an account of its own, and the organisation
 * policies for one OU per zone, shared by both environments.
 */
export function multiAccountInput(): BlueprintInput {
  const input = referenceInput() as Record<string, unknown>;
  delete input.environment;
  return {
    ...input,
    region: 'eu-west-2',
    environments: [
      {
        name: 'test',
        accounts: {
          backOffice: '210000000001',
          integration: '210000000002',
          frontOffice: '210000000003',
          management: '200000000000',
        },
      },
      {
        name: 'prod',
        accounts: {
          backOffice: '310000000001',
          integration: '310000000002',
          frontOffice: '310000000003',
          management: '200000000000',
          products: { 'web-shop': '310000000004' },
        },
      },
    ],
    organization: {
      frontOfficeOuIds: [OUS.front],
      backOfficeOuIds: [OUS.back],
      integrationOuIds: [OUS.integration],
    },
  } as BlueprintInput;
}
