import { createHash } from 'node:crypto';
import type { Blueprint } from './blueprint';
import { physicalNamePrefix } from './blueprint';

/** The name of one of the app's stacks, e.g. `OfficeZones-dev-BackOffice`. */
export function stackName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  part: string,
): string {
  return `${physicalNamePrefix(blueprint)}-${part}`;
}

/**
 * A physical IAM name (at most 64 characters) known to several stacks without a reference:
 * the back office names the broker's integration roles in its resource policies this way.
 * Too-long names keep their start and end a hash of the whole, so they stay unique.
 */
export function iamName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  ...parts: string[]
): string {
  const name = [physicalNamePrefix(blueprint), ...parts].join('-');
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

/** The broker's integration role for one capability. */
export function integrationRoleName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return iamName(blueprint, 'broker', capability);
}
