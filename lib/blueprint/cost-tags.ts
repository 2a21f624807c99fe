import type { Blueprint, Zone } from './model';

/** Who pays for a set of resources, in the terms of the cost-tag contract. */
export interface Attribution {
  readonly zone: Zone;
  readonly costCentre: string;
  readonly owner: string;
  /** A front-office product, a back-office capability, or `broker`/`back-office` for shared parts. */
  readonly product: string;
}

/** The tags the blueprint's contract puts on resources with this attribution. */
export function costTags(
  blueprint: Pick<Blueprint, 'costTags' | 'environment'>,
  who: Attribution,
): Record<string, string> {
  const c = blueprint.costTags;
  return {
    [c.zone.key]: who.zone,
    [c.costCentre.key]: who.costCentre,
    [c.owner.key]: who.owner,
    [c.product.key]: who.product,
    [c.environment.key]: blueprint.environment,
    ...c.additional,
  };
}

/**
 * The keys of the cost-tag contract, in contract order: the five roles, then the additional
 * keys. Every taggable resource of every stack must carry each of them.
 */
export function contractKeys(blueprint: Pick<Blueprint, 'costTags'>): string[] {
  const c = blueprint.costTags;
  return [
    c.zone.key,
    c.costCentre.key,
    c.owner.key,
    c.product.key,
    c.environment.key,
    ...Object.keys(c.additional),
  ];
}
