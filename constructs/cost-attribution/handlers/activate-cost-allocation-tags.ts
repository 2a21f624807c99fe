import {
  CostExplorerClient,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';

/**
 * The provider of `Custom::CostAllocationTags`: activates tag keys as cost-allocation tags with
 * `ce:UpdateCostAllocationTagsStatus` (20 keys a call), then answers CloudFormation itself at the
 * pre-signed response URL, so no CDK-owned provider function is needed.
 *
 * A key can only be activated once a resource in the organisation carries it, and AWS can take up
 * to 24 hours to see a new key. Keys AWS refuses are reported as `Pending` (an attribute of the
 * resource) instead of failing the deployment, and a daily schedule invokes the same function with
 * `{"TagKeys": [...]}` to activate them once AWS knows them. Deleting the resource leaves the keys
 * active: finance's reports keep their history.
 *
 * This code runs in Lambda, not at synth: its environment is its configuration.
 */

/** What CloudFormation sends a custom resource provider. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly TagKeys?: unknown };
}

/** The most keys one `UpdateCostAllocationTagsStatus` call takes. */
export const KEYS_PER_CALL = 20;

/** What the daily schedule sends. */
export interface ScheduledActivation {
  readonly TagKeys: readonly string[];
}

export async function handler(event: CustomResourceEvent | ScheduledActivation): Promise<void> {
  if (!('RequestType' in event)) {
    const result = await activate([...event.TagKeys]);
    console.log(JSON.stringify({ request: 'Scheduled', ...result }));
    return;
  }
  const physicalResourceId = event.PhysicalResourceId ?? `cost-allocation-tags-${event.RequestId}`;
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = '';
  let data: Record<string, string> = {};
  try {
    if (event.RequestType !== 'Delete') {
      const keys = event.ResourceProperties.TagKeys;
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string') || keys.length === 0) {
        throw new Error('TagKeys must be a non-empty list of tag keys');
      }
      data = await activate(keys as string[]);
      reason = data.Pending
        ? `activated ${data.Activated || 'none'}; pending (not yet seen on a resource or refused): ${data.Pending}`
        : `activated ${data.Activated}`;
    }
  } catch (e) {
    status = 'FAILED';
    reason = `${(e as Error).name}: ${(e as Error).message}`;
  }
  console.log(JSON.stringify({ request: event.RequestType, status, reason }));
  await respond(event, { status, reason, physicalResourceId, data });
}

async function activate(keys: string[]): Promise<Record<string, string>> {
  const client = new CostExplorerClient({ region: costExplorerRegion() });
  const pending: string[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
    const batch = keys.slice(i, i + KEYS_PER_CALL);
    const out = await client.send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: batch.map((TagKey) => ({ TagKey, Status: 'Active' })),
      }),
    );
    for (const error of out.Errors ?? []) {
      if (error.TagKey) pending.push(`${error.TagKey} (${error.Code ?? 'error'})`);
    }
  }
  const refused = new Set(pending.map((p) => p.replace(/ \(.*\)$/, '')));
  return {
    Activated: keys.filter((k) => !refused.has(k)).join(','),
    Pending: pending.join(','),
  };
}

/** Cost Explorer has one endpoint per partition. */
function costExplorerRegion(): string {
  return (process.env.AWS_REGION ?? '').startsWith('cn-') ? 'cn-northwest-1' : 'us-east-1';
}

async function respond(
  event: CustomResourceEvent,
  r: {
    status: string;
    reason: string;
    physicalResourceId: string;
    data: Record<string, string>;
  },
): Promise<void> {
  const body = JSON.stringify({
    Status: r.status,
    Reason: r.reason.slice(0, 3000),
    PhysicalResourceId: r.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: r.data,
  });
  // The pre-signed S3 URL is signed without a content type.
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body,
  });
  if (!response.ok) {
    throw new Error(`CloudFormation's response URL answered ${response.status}`);
  }
}
