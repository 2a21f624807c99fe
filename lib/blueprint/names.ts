import { createHash } from 'node:crypto';
import type { Blueprint } from './model';
import { clientName, type Consumer, physicalNamePrefix } from './derived';

/** The name of one of the app's stacks, e.g. `OfficeZones-dev-BackOffice`. */
export function stackName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  part: string,
): string {
  return `${physicalNamePrefix(blueprint)}-${part}`;
}

/**
 * The delivery pipeline's stack, e.g. `OfficeZones-Delivery`: top-level in the app, beside the
 * environments' stages (`<stackPrefix>-<environment>`), so `cdk deploy OfficeZones-Delivery`
 * selects it alone.
 */
export function deliveryStackName(blueprint: Pick<Blueprint, 'stackPrefix'>): string {
  return `${blueprint.stackPrefix}-Delivery`;
}

/**
 * The stage that holds the stacks for the management (payer) account: cost management and the
 * organisation policies. Stacks in a nested stage are not top-level in the cloud assembly, so
 * `cdk deploy --all` leaves them out; `cdk deploy '<this name>/*'` deploys them.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html
 */
export function managementStageName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
): string {
  return stackName(blueprint, 'Management');
}

/**
 * The region of Cost Explorer and its CloudFormation types (`AWS::CE::*`) for a blueprint's
 * region: `cn-northwest-1` in the China partition, `us-east-1` everywhere else (also when the
 * blueprint names no region).
 * @see https://docs.aws.amazon.com/general/latest/gr/billing.html
 */
export function costExplorerRegion(region: string | undefined): string {
  return region?.startsWith('cn-') ? 'cn-northwest-1' : 'us-east-1';
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
  return bounded([physicalNamePrefix(blueprint), ...parts].join('-'), 64);
}

/** A name cut to `max` characters: a too-long one keeps its start and ends in a hash of the whole. */
function bounded(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - 9)}-${hash}`;
}

/** The broker's integration role for one capability. */
export function integrationRoleName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return iamName(blueprint, 'broker', capability);
}

/** The root of the SSM parameters a blueprint's stacks publish, e.g. `/office-zones/OfficeZones/dev`. */
export function parameterRoot(blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>): string {
  return `/office-zones/${blueprint.stackPrefix}/${blueprint.environment}`;
}

/** SSM parameters the broker stack publishes at deploy time, for runtimes and the operations CLI. */
export function brokerParameterNames(blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>) {
  const root = `${parameterRoot(blueprint)}/broker`;
  return {
    userPoolId: `${root}/user-pool-id`,
    apiUrl: `${root}/api-url`,
    apiId: `${root}/api-id`,
    onboardedUsagePlanId: `${root}/onboarded-usage-plan-id`,
    tokenUrl: `${root}/token-url`,
    /**
     * The broker manifest's shared part; its capabilities and consumers are one parameter each
     * under `manifestCapabilitiesPath` and `manifestConsumersPath` (see `splitBrokerManifest`).
     */
    manifest: `${root}/manifest`,
    /** One parameter per capability (its scopes and routes), named by the capability. */
    manifestCapabilitiesPath: `${root}/manifest-parts/capabilities/`,
    /** One parameter per consumer, named by its client name, published by its consumer stack. */
    manifestConsumersPath: `${root}/manifest-parts/consumers/`,
    /** The key that encrypts delivered credentials; product runtimes decrypt with it via Secrets Manager. */
    credentialsKeyArn: `${root}/credentials-key-arn`,
  } as const;
}

/** SSM parameter with the ARN of a product's broker credentials secret. */
export function productCredentialsParameterName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  product: string,
): string {
  return `${parameterRoot(blueprint)}/broker/clients/product.${product}/secret-arn`;
}

/** The role a front-office product's compute runs as; the only reader of its broker credentials. */
export function productRuntimeRoleName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  product: string,
): string {
  return iamName(blueprint, 'product', product, 'runtime');
}

/**
 * The name prefix of every consumer's credentials secret, e.g.
 * `office-zones/OfficeZones/dev/broker/clients/`: the broker's rotation function may manage the
 * secrets named so, and only those.
 */
export function credentialsSecretNamePrefix(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
): string {
  return `${parameterRoot(blueprint).slice(1)}/broker/clients/`;
}

/**
 * The Secrets Manager secret that holds a consumer's broker client id, client secret and API key:
 * the prefix and its app client name, e.g. `office-zones/OfficeZones/dev/broker/clients/product.web-shop`.
 */
export function consumerCredentialsSecretName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  consumer: Pick<Consumer, 'kind' | 'name'>,
): string {
  return `${credentialsSecretNamePrefix(blueprint)}${clientName(consumer)}`;
}

/** The Secrets Manager secret that holds a product's broker credentials. */
export function productCredentialsSecretName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  product: string,
): string {
  return consumerCredentialsSecretName(blueprint, { kind: 'product', name: product });
}

/** The managed policy every role in a front-office product stack has as its permission boundary. */
export function frontOfficeBoundaryName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
): string {
  return iamName(blueprint, 'front-office-boundary');
}

/** The AWS Budgets name of a front-office product's monthly budget. */
export function productBudgetName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  product: string,
): string {
  return `${physicalNamePrefix(blueprint)}-product-${product}`;
}

/**
 * The AWS Budgets name of an environment's front-office budget, in the management account:
 * `<stackPrefix>-<environment>-front-office`.
 */
export function frontOfficeBudgetName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
): string {
  return `${physicalNamePrefix(blueprint)}-front-office`;
}

/** The AWS Budgets name of a back-office cost centre's monthly budget. */
export function costCentreBudgetName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  costCentre: string,
): string {
  return `${physicalNamePrefix(blueprint)}-back-office-${costCentre}`;
}

/** The physical name of a capability's ledger table (its invoices table adds `-invoices`). */
export function ledgerTableName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return `${physicalNamePrefix(blueprint)}-${capability}-ledger`;
}

/**
 * The physical name of a capability's invoices ledger (book to bill): its ledger's name with
 * `-invoices`, as `SystemOfRecord` derives it from `ledgerTableName`.
 */
export function invoicesTableName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return `${ledgerTableName(blueprint, capability)}-invoices`;
}

/**
 * The physical name of a capability's workflow function, so the back-office operations stack
 * alarms on its metrics by name, without a reference to the back-office stack. Lambda function
 * names are at most 64 characters.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName
 */
export function workflowFunctionName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return bounded(`${physicalNamePrefix(blueprint)}-${capability}-workflow`, 64);
}

/**
 * The physical names of a capability's queues: the intake queue the broker sends commands to and
 * its dead-letter queue. Fixed and known to both stacks: the broker formats the queue's ARN and
 * URL from the name instead of a cross-stack reference, and CloudFormation refuses to replace a
 * named queue, so the queue the broker sends to cannot move. SQS names are at most 80 characters.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html
 */
export function capabilityQueueNames(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): { readonly intake: string; readonly deadLetters: string } {
  const base = `${physicalNamePrefix(blueprint)}-${capability}`;
  return {
    intake: bounded(`${base}-intake`, 80),
    deadLetters: bounded(`${base}-dead-letters`, 80),
  };
}

/**
 * The back office's AWS Backup plan, unique in the account and region per environment (a plan
 * named after its construct id, `Plan`, collides with a second environment's). At most 50
 * characters.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html
 */
export function backupPlanName(blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>): string {
  return bounded(`${physicalNamePrefix(blueprint)}-back-office`, 50);
}

/**
 * The role that maintains one capability's records outside the order flow (e.g. the catalogue's
 * items), admitted by the capability's ledgers and the zone key. Built by the back-office stack.
 */
export function maintainerRoleName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
  capability: string,
): string {
  return iamName(blueprint, 'back-office', capability, 'maintainer');
}

/**
 * The back office's operations role: reads and redrives the dead-letter queues, reads alarms.
 * Built by the back-office stack.
 */
export function operatorRoleName(
  blueprint: Pick<Blueprint, 'stackPrefix' | 'environment'>,
): string {
  return iamName(blueprint, 'back-office', 'operator');
}

/**
 * The CDK bootstrap's CloudFormation execution role, the principal that creates and updates every
 * resource of a stack (and resolves its dynamic references), as a name pattern with the account
 * and region left to the caller: `cdk-<qualifier>-cfn-exec-role-<account>-<region>`.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export function cloudFormationExecutionRoleName(
  blueprint: Pick<Blueprint, 'deployment'>,
  account: string,
  region: string,
): string {
  return `cdk-${blueprint.deployment.bootstrapQualifier}-cfn-exec-role-${account}-${region}`;
}
