import { App, Stack, Tags } from 'aws-cdk-lib';
import { BoundaryChecks } from '../../../policies/boundary/pack';
import type { BoundaryChecksProps } from '../../../policies/boundary/model';
import { registerZone, zoneOf } from '../../../lib/stacks/zones';
import { testApp } from '../../helpers';

export const COST_TAG_KEYS = ['Zone', 'CostCentre', 'Owner', 'Product', 'Environment'];
export const INTEGRATION_ROLE = 'OfficeZones-test-broker-orders';

export const PROPS: BoundaryChecksProps = {
  zoneOf,
  costTagKeys: COST_TAG_KEYS,
  integrationRoleNames: [INTEGRATION_ROLE],
};

/**
 * An app with one stack per zone, registered as the blueprint's stacks register, and tagged by the
 * contract; each stack environment-agnostic, or in the account `accounts` gives it (eu-west-2).
 */
export function zonedApp(
  accounts?: Partial<Record<'front' | 'back' | 'broker' | 'outside', string>>,
): { app: App; front: Stack; back: Stack; broker: Stack; outside: Stack } {
  const app = testApp();
  const env = (account?: string) => (account ? { env: { account, region: 'eu-west-2' } } : {});
  const zoned = (id: string, zone?: 'front-office' | 'back-office' | 'integration') => {
    const key = (
      { 'front-office': 'front', 'back-office': 'back', integration: 'broker' } as const
    )[zone ?? 'front-office'];
    const stack = new Stack(app, id, env(zone ? accounts?.[key] : accounts?.outside));
    if (zone) registerZone(stack, zone);
    for (const key of COST_TAG_KEYS) Tags.of(stack).add(key, key === 'Zone' ? (zone ?? 'x') : 'v');
    return stack;
  };
  return {
    app,
    front: zoned('OfficeZones-test-Product-shop', 'front-office'),
    back: zoned('OfficeZones-test-BackOffice', 'back-office'),
    broker: zoned('OfficeZones-test-Broker', 'integration'),
    outside: zoned('Elsewhere'),
  };
}

/** A finding: the full id and the construct path of the resource it is on. */
export interface Finding {
  readonly id: string;
  readonly path: string;
}

/** Synthesizes the app and runs the boundary pack on it; returns the findings of one rule (e.g. `B1`). */
export function findings(app: App, rule: string, props: BoundaryChecksProps = PROPS): Finding[] {
  app.synth();
  const report = new BoundaryChecks(undefined, props).validateScope(app);
  const prefix = `OfficeZonesBoundary-${rule}`;
  return report.violations
    .filter((v) => v.ruleName === prefix || v.ruleName.startsWith(`${prefix}[`))
    .flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    )
    .sort((a, b) => (a.id + a.path < b.id + b.path ? -1 : a.id + a.path > b.id + b.path ? 1 : 0));
}
