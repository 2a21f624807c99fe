import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { OfficeZonesSynthesis, synthOfficeZones } from 'office-zones';

/** The file of this example's own enterprise. */
export const BLUEPRINT_FILE = path.join(__dirname, '..', 'blueprint.yaml');

/**
 * The whole enterprise from this project's own blueprint: every stack, the security gate, and the
 * reports (security, cost attribution, broker manifest and OpenAPI) next to the templates.
 */
export function synthEnterprise(app: App): OfficeZonesSynthesis {
  return synthOfficeZones({ app, blueprintFile: BLUEPRINT_FILE });
}

if (require.main === module) synthEnterprise(new App());
