import * as fs from 'node:fs';
import * as path from 'node:path';

/** A cited copy of an AWS managed policy, kept as a JSON file next to this one. */
export interface AwsManagedPolicy {
  readonly name: string;
  /** The AWS managed-policy reference page the document was copied from. */
  readonly source: string;
  /** True when only the statements the access paths need were copied (the file says which). */
  readonly excerpt: boolean;
  readonly document: unknown;
}

/**
 * The AWS managed policies the access paths need, by name. IAM does not ship their documents
 * with CloudFormation, and neither iam-simulate nor its data packages carry them, so the few the
 * reference's roles use are kept here with the page they come from.
 */
export function awsManagedPolicy(name: string): AwsManagedPolicy | undefined {
  const file = path.join(__dirname, `${name}.json`);
  if (!/^[A-Za-z0-9-]+$/.test(name) || !fs.existsSync(file)) return undefined;
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { name, source: json.source, excerpt: json.excerpt === true, document: json.document };
}

/** Looks an AWS managed policy up by its ARN (`arn:<partition>:iam::aws:policy/[path/]<name>`). */
export function awsManagedPolicyByArn(arn: string): AwsManagedPolicy | undefined {
  const m = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? awsManagedPolicy(m[1]) : undefined;
}
