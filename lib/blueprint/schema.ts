import { z } from 'zod';
import { BlueprintSchema } from './model';

/** The JSON Schema of a blueprint file, generated from the model (what a user writes: input). */
export function blueprintJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(BlueprintSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://office-zones.dev/blueprint.schema.json',
  };
}
