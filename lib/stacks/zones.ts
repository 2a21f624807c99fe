import type { IConstruct } from 'constructs';
import { Stack } from 'aws-cdk-lib';
import type { Zone } from '../blueprint';

const zones = new WeakMap<Stack, Zone>();

/**
 * Which zone a stack belongs to. The stacks a blueprint builds register themselves, so the
 * boundary rules know the zones from what was built, not from names.
 */
export function registerZone(stack: Stack, zone: Zone): void {
  zones.set(stack, zone);
}

/** The zone of the stack that holds a construct, or undefined for a stack outside the blueprint. */
export function zoneOf(construct: IConstruct): Zone | undefined {
  return zones.get(Stack.of(construct));
}
