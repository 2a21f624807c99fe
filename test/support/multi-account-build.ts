import { Stage } from 'aws-cdk-lib';
import {
  BlueprintInput,
  environmentBlueprints,
  parseBlueprint,
  physicalNamePrefix,
} from '../../lib/blueprint';
import { buildOfficeZones, OfficeZonesStacks } from '../../lib/stacks/office-zones';
import { testApp } from '../helpers';

/**
 * A blueprint with `environments` built as synth builds it (one stage per environment,
 * `lib/synth`), without the security gate, bundling or validation: its stacks by environment.
 */
export function buildEnvironments(input: BlueprintInput): Map<string, OfficeZonesStacks> {
  const app = testApp();
  const built = new Map<string, OfficeZonesStacks>();
  for (const env of environmentBlueprints(parseBlueprint(input))) {
    built.set(env.environment, buildOfficeZones(new Stage(app, physicalNamePrefix(env)), env));
  }
  return built;
}
