import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Validates a document against the SARIF 2.1.0 JSON schema (draft-04) that Microsoft ships in
 * `@microsoft/jest-sarif`; no network at test time. Returns the schema errors, empty when valid.
 */
export function sarifSchemaErrors(document: unknown): string[] {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  // The schema's language pattern is not valid with the u flag; JSON Schema draft-04 regexes are ECMA 262 without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
