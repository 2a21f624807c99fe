import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BackOfficeAlarms } from '../../constructs/back-office/back-office-alarms';
import type { BackOfficeZone } from '../../constructs/back-office/back-office-zone';
import { pascal } from '../../constructs/naming';
import { SHARED_PRODUCT_TAGS } from '../blueprint';
import {
  capabilityQueueNames,
  invoicesTableName,
  ledgerTableName,
  workflowFunctionName,
} from '../blueprint/names';
import { addBackOfficeBudgets } from './back-office-budgets';
import { ZoneStack, ZoneStackProps } from './zone-stack';

export interface BackOfficeOperationsStackProps extends Omit<ZoneStackProps, 'attribution'> {
  /** The back office it watches: its operations topic is where the alarms notify. */
  readonly backOffice: BackOfficeZone;
}

/**
 * The back office's stateless operations, owned by IT like the back office: the capabilities'
 * alarms and the back-office budgets per cost centre. They hold no data, so they live apart from
 * the systems of record (DEC-033): the back-office stack keeps room for capabilities, and this
 * stack can be deleted and rebuilt at any time. It watches the back office by the names the
 * blueprint gives its ledgers, queues and workflow functions; the operations topic's ARN is its
 * one reference to the back-office stack, which is deployed first.
 */
export class BackOfficeOperationsStack extends ZoneStack {
  readonly alarms: BackOfficeAlarms;

  constructor(scope: Construct, id: string, props: BackOfficeOperationsStackProps) {
    const { blueprint, backOffice } = props;
    super(scope, id, {
      description: `Office Zones back-office operations of ${blueprint.enterprise} (${blueprint.environment}): alarms and budgets of the systems of record.`,
      terminationProtection: true,
      ...props,
      attribution: {
        zone: 'back-office',
        costCentre: blueprint.backOffice.costCentre,
        owner: blueprint.backOffice.owner,
        product: SHARED_PRODUCT_TAGS.backOffice,
      },
    });

    this.alarms = new BackOfficeAlarms(this, 'Alarms', { topic: backOffice.operations.topic });
    // The back office by name: an alarm needs only the names its metrics carry as dimensions, so
    // no reference per capability ties this stack to the back office's.
    const byName = new Construct(this, 'BackOffice');
    for (const capability of blueprint.backOffice.capabilities) {
      const scope = new Construct(byName, pascal(capability.name));
      const takesCommands = capability.operations.some((op) => op.kind === 'command');
      const queueNames = capabilityQueueNames(blueprint, capability.name);
      const queue = (queueId: string, queueName: string) =>
        sqs.Queue.fromQueueAttributes(scope, queueId, {
          queueName,
          queueArn: this.formatArn({ service: 'sqs', resource: queueName }),
        });
      this.alarms.addCapability({
        capabilityName: capability.name,
        ledgers: [
          dynamodb.Table.fromTableName(
            scope,
            'Ledger',
            ledgerTableName(blueprint, capability.name),
          ),
          ...(takesCommands && capability.workflow === 'book-to-bill'
            ? [
                dynamodb.Table.fromTableName(
                  scope,
                  'Invoices',
                  invoicesTableName(blueprint, capability.name),
                ),
              ]
            : []),
        ],
        intakeQueue: takesCommands ? queue('IntakeQueue', queueNames.intake) : undefined,
        deadLetterQueue: takesCommands
          ? queue('DeadLetterQueue', queueNames.deadLetters)
          : undefined,
        workflowFunctionName: takesCommands
          ? workflowFunctionName(blueprint, capability.name)
          : undefined,
      });
    }

    addBackOfficeBudgets(this, blueprint);
  }
}
