import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BackOfficeZone } from '../../constructs/back-office/back-office-zone';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import { acknowledge } from '../../policies/acknowledge';
import { SHARED_PRODUCT_TAGS, zoneTargets } from '../blueprint';
import { costTags } from '../blueprint/cost-tags';
import { THIS_ACCOUNT } from '../blueprint/model';
import {
  backupPlanName,
  capabilityQueueNames,
  cloudFormationExecutionRoleName,
  integrationRoleName,
  ledgerTableName,
  maintainerRoleName,
  operatorRoleName,
  workflowFunctionName,
} from '../blueprint/names';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export type BackOfficeStackProps = Omit<ZoneStackProps, 'attribution'>;

/**
 * The back-office zone: IT's systems of record, under change control. Only what holds data or
 * guards it (and the workflows that keep it) is here; the alarms and budgets that watch it are in
 * the back-office operations stack (DEC-033).
 */
export class BackOfficeStack extends ZoneStack {
  readonly zone: BackOfficeZone;

  constructor(scope: Construct, id: string, props: BackOfficeStackProps) {
    const { blueprint } = props;
    const backOffice = blueprint.backOffice;
    super(scope, id, {
      description: `Office Zones back office of ${blueprint.enterprise} (${blueprint.environment}): systems of record for book to bill.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'back-office',
        costCentre: backOffice.costCentre,
        owner: backOffice.owner,
        product: SHARED_PRODUCT_TAGS.backOffice,
      },
    });

    const roleArn = (roleName: string) =>
      this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
    this.zone = new BackOfficeZone(this, 'Zone', {
      // The role CloudFormation deploys with, in the key's own account and region.
      deploymentRoleArn: roleArn(
        cloudFormationExecutionRoleName(blueprint, this.account, this.region),
      ),
      keyDescription: `${blueprint.enterprise} back office (${blueprint.environment})`,
      cidr: backOffice.vpcCidr,
      backup: {
        ...backOffice.backup,
        planName: backupPlanName(blueprint),
        // The deploying role updates the vault's policy and removes a failed first deploy's vault.
        admittedPrincipalArns: [
          this.formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: cloudFormationExecutionRoleName(blueprint, this.account, this.region),
          }),
        ],
      },
      operationsEmail: backOffice.operationsEmail,
      // The alarms watch the capabilities from the back-office operations stack (DEC-033).
      alarms: false,
      capabilities: backOffice.capabilities.map((c) => ({
        name: c.name,
        ledger: c.ledger,
        workflow: c.operations.some((op) => op.kind === 'command') ? c.workflow : undefined,
        tableName: ledgerTableName(blueprint, c.name),
        queueNames: capabilityQueueNames(blueprint, c.name),
        workflowFunctionName: workflowFunctionName(blueprint, c.name),
      })),
    });

    // Only the broker gets in: each capability admits the broker's integration role for it, by
    // its deterministic name (the broker stack is deployed after this one and refers to it), in
    // the integration account (DEC-036).
    const integrationAccount = zoneTargets(blueprint)?.integration.account;
    for (const capability of backOffice.capabilities) {
      const integrationRole = this.formatArn({
        service: 'iam',
        region: '',
        account: integrationAccount,
        resource: 'role',
        resourceName: integrationRoleName(blueprint, capability.name),
      });
      const system = this.zone.capability(capability.name);
      if (capability.operations.some((op) => op.kind === 'command'))
        system.admit(integrationRole, 'submit');
      if (capability.operations.some((op) => op.kind === 'query'))
        system.admit(integrationRole, 'read');
    }

    // People the blueprint declares: a maintainer role per capability that names maintainers, and
    // one operator role. Their names are fixed, so the access checks and IT's tooling know them.
    for (const capability of backOffice.capabilities) {
      if (!capability.maintainers) continue;
      this.zone.addMaintainerRole(capability.name, {
        roleName: maintainerRoleName(blueprint, capability.name),
        assumedBy: assumers(capability.maintainers),
      });
    }
    if (backOffice.operators) {
      this.zone.addOperatorRole({
        roleName: operatorRoleName(blueprint),
        assumedBy: assumers(backOffice.operators),
      });
    }

    for (const policy of [
      'AWSBackupServiceRolePolicyForBackup',
      'AWSBackupServiceRolePolicyForRestores',
    ]) {
      acknowledge(this.zone.backup.role, {
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: `AWS Backup's own service-role policy (${policy}), kept current by AWS as services add backup APIs; the vault and key policies restrict what it can reach.`,
        reference: 'DEC-006',
      });
    }
    for (const workflow of this.zone.workflows.values()) {
      acknowledge(workflow.role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only X-Ray tracing (PutTraceSegments, PutTelemetryRecords) and the network-interface calls Lambda makes in a VPC are on *: neither service supports resource-level permissions for them.',
        reference: 'DEC-005',
      });
    }

    const changeControl: Record<string, { owner: string; reference: string }> = {};
    for (const capability of backOffice.capabilities) {
      const tags = {
        ...costTags(blueprint, {
          zone: 'back-office',
          costCentre: capability.costCentre ?? backOffice.costCentre,
          owner: capability.owner,
          product: capability.name,
        }),
        ChangeOwner: capability.change.owner,
        ChangeReference: capability.change.reference,
      };
      // The capability's run cost: its system of record and the workflow that keeps it.
      applyCostTags(this.zone.capability(capability.name), tags);
      const workflow = this.zone.workflows.get(capability.name);
      if (workflow) applyCostTags(workflow, tags);
      changeControl[capability.name] = capability.change;
    }
    this.templateOptions.metadata = { 'OfficeZones::ChangeControl': changeControl };
  }
}

/** The principals of a blueprint's `maintainers` or `operators`: accounts and role or user ARNs. */
function assumers(principals: readonly string[]): iam.IPrincipal {
  const list = principals.map((p) =>
    p === THIS_ACCOUNT
      ? new iam.AccountRootPrincipal()
      : /^[0-9]{12}$/.test(p)
        ? new iam.AccountPrincipal(p)
        : new iam.ArnPrincipal(p),
  );
  return list.length === 1 ? list[0] : new iam.CompositePrincipal(...list);
}
