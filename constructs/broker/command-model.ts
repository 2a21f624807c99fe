/**
 * The request model of a broker command, CDK-free so that the broker's published contract
 * (`lib/contract/openapi.ts`) states exactly what the API validates.
 */

/**
 * What SQS accepts as a batch entry id: "up to 80 characters", "alphanumeric characters, hyphens
 * (-), and underscores (_)". The record id becomes the entry id, so the model requires it too.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
 */
export const SQS_BATCH_ENTRY_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' } as const;

/**
 * The model of a command: its body schema, with the id field also bound to what SQS accepts as a
 * batch entry id (`allOf`, JSON Schema draft 4), so that an id SQS would refuse is the caller's
 * 400 at the door, never a refusal by the back office.
 */
export function commandModelSchema(
  body: Record<string, unknown>,
  idField: string,
): Record<string, unknown> {
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  return {
    ...body,
    properties: {
      ...properties,
      [idField]: { allOf: [properties[idField] ?? {}, SQS_BATCH_ENTRY_ID] },
    },
  };
}
