import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BackOfficeZone } from '../../constructs/back-office/back-office-zone';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import { addBackOfficeBudgets } from '../back-office-budgets';
import type { Blueprint } from '../blueprint';
import { costTags } from '../cost-tags';
import { registerZone } from '../zones';

export interface BackOfficeStackProps extends StackProps {
  readonly blueprint: Blueprint;
}

/** The back-office zone: IT's systems of record, under change control. */
export class BackOfficeStack extends Stack {
  readonly zone: BackOfficeZone;

  constructor(scope: Construct, id: string, props: BackOfficeStackProps) {
    const { blueprint } = props;
    const backOffice = blueprint.backOffice;
    const zoneTags = costTags(blueprint, {
      zone: 'back-office',
      costCentre: backOffice.costCentre,
      owner: backOffice.owner,
      product: 'back-office',
    });
    super(scope, id, {
      description: `Office Zones back office of ${blueprint.enterprise} (${blueprint.environment}): systems of record for book to bill.`,
      terminationProtection: true,
      tags: zoneTags,
      ...props,
    });
    registerZone(this, 'back-office');

    this.zone = new BackOfficeZone(this, 'Zone', {
      keyDescription: `${blueprint.enterprise} back office (${blueprint.environment})`,
      capabilities: backOffice.capabilities.map((c) => ({
        name: c.name,
        ledger: c.ledger,
        acceptsCommands: c.operations.some((op) => op.kind === 'command'),
      })),
    });
    applyCostTags(this, zoneTags);

    const changeControl: Record<string, { owner: string; reference: string }> = {};
    for (const capability of backOffice.capabilities) {
      applyCostTags(this.zone.capability(capability.name), {
        ...costTags(blueprint, {
          zone: 'back-office',
          costCentre: capability.costCentre ?? backOffice.costCentre,
          owner: capability.owner,
          product: capability.name,
        }),
        ChangeOwner: capability.change.owner,
        ChangeReference: capability.change.reference,
      });
      changeControl[capability.name] = capability.change;
    }
    this.templateOptions.metadata = { 'OfficeZones::ChangeControl': changeControl };

    addBackOfficeBudgets(this, blueprint);
  }
}
