import { Token } from 'aws-cdk-lib';
import {
  asList,
  BoundaryIndex,
  isObject,
  isRef,
  patternOf,
  ResourceRef,
  serviceOf,
  StackInfo,
} from './boundary-index';

/** One statement of a policy document. */
export type Statement = Record<string, unknown>;

/** The statements of a policy document, given as an object or as a JSON string. */
export function statementsOf(document: unknown): Statement[] {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (!isObject(doc)) return [];
  return asList(doc.Statement).filter(isObject);
}

export function allows(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

/** The service prefixes a statement's actions name; `*` for any (also for `NotAction`). */
export function actionServices(statement: Statement): Set<string> {
  if (statement.NotAction !== undefined) return new Set(['*']);
  const services = new Set<string>();
  for (const action of asList(statement.Action)) {
    if (typeof action !== 'string') services.add('*');
    else if (action === '*') services.add('*');
    else services.add(action.split(':')[0].toLowerCase());
  }
  return services;
}

/** A principal of a statement, by kind. */
export interface Principal {
  readonly kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  readonly value: unknown;
}

export function principalsOf(statement: Statement): Principal[] {
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal === undefined) return [];
  if (principal === '*') return [{ kind: '*', value: '*' }];
  if (!isObject(principal)) return [{ kind: 'AWS', value: principal }];
  const out: Principal[] = [];
  for (const [kind, values] of Object.entries(principal)) {
    for (const value of asList(values)) {
      out.push({ kind: value === '*' ? '*' : (kind as Principal['kind']), value });
    }
  }
  return out;
}

/** Condition keys that tie a service principal to this account or to one resource. */
const SCOPING_CONDITION_KEYS = [
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'kms:calleraccount',
  'kms:viaservice',
  'kms:encryptioncontext:aws:logs:arn',
  // SNS encrypts a topic's messages with the topic's ARN as encryption context.
  'kms:encryptioncontext:aws:sns:topicarn',
];

export function hasScopingCondition(statement: Statement): boolean {
  const condition = statement.Condition;
  if (!isObject(condition)) return false;
  for (const operands of Object.values(condition)) {
    if (!isObject(operands)) continue;
    for (const key of Object.keys(operands)) {
      if (SCOPING_CONDITION_KEYS.includes(key.toLowerCase())) return true;
    }
  }
  return false;
}

/** What a policy's `Resource` value reaches in a zone. */
export interface Reach {
  /** A short description for the finding id. */
  readonly finding: string;
}

/**
 * Whether one `Resource` element of an allowing statement reaches a resource in a zone:
 * through a reference (also across stacks), a literal ARN naming a zone's resource, or a
 * wildcard that covers one.
 */
export function reachInZone(
  index: BoundaryIndex,
  element: unknown,
  from: StackInfo,
  zone: 'back-office' | 'front-office',
  services: Set<string>,
): Reach[] {
  const refs = index.referencesIn(element, from).filter((r) => r.stack.zone === zone);
  if (refs.length > 0) return refs.map((r) => ({ finding: `${r.stack.name}/${r.logicalId}` }));
  const pieces = index.pieces(element, from);
  if (pieces.some(isRef)) return [];
  if (pieces.some((p) => publishedByBroker(index, p, from))) return [];
  const pattern = patternOf(pieces);
  if (!reachesOtherAccounts(index, pattern, from, zone)) return [];
  return literalReach(index, pattern, zone, services);
}

/**
 * Whether a grant in a stack with an explicit account can reach the zone at all. An identity
 * policy alone reaches only its own account: another account's resource is reached only when
 * that resource's policy allows it too (which the resource-policy rule, B4, checks). So a
 * wildcard, or an ARN in the grant's own account, cannot reach a zone whose stacks are all in
 * other accounts; an ARN that names one of those accounts is still judged.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
function reachesOtherAccounts(
  index: BoundaryIndex,
  pattern: string,
  from: StackInfo,
  zone: 'back-office' | 'front-office',
): boolean {
  const own = from.stack.account;
  if (Token.isUnresolved(own)) return true;
  const zoneAccounts = index.stacksIn(zone).map((s) => s.stack.account);
  if (zoneAccounts.some((a) => Token.isUnresolved(a) || a === own)) return true;
  const account = /^arn:[^:]*:[^:]*:[^:]*:([0-9]{12}):/.exec(pattern)?.[1];
  return account !== undefined && zoneAccounts.includes(account);
}

/** Whether a piece is a deploy-time value read from a parameter the broker publishes. */
function publishedByBroker(index: BoundaryIndex, piece: unknown, from: StackInfo): boolean {
  const prefixes = index.props.publishedParameterPrefixes ?? [];
  if (!isObject(piece) || typeof piece.unknown !== 'string') return false;
  const id = /^Parameter:(.+)$/.exec(piece.unknown)?.[1];
  const parameter = id ? from.template.Parameters?.[id] : undefined;
  if (!parameter?.Type?.startsWith('AWS::SSM::Parameter::Value')) return false;
  if (typeof parameter.Default !== 'string') return false;
  // A parameter shared from another account is read by its ARN: its name is after `parameter`.
  const name = parameter.Default.replace(/^arn:[^:]+:ssm:[^:]*:[0-9]{12}:parameter(?=\/)/, '');
  return prefixes.some((prefix) => name.startsWith(prefix));
}

function literalReach(
  index: BoundaryIndex,
  rendered: string,
  zone: 'back-office' | 'front-office',
  services: Set<string>,
): Reach[] {
  const zoneServices = index.once(
    `services:${zone}`,
    () =>
      new Set(
        index
          .resources()
          .filter((r) => r.stack.zone === zone)
          .map((r) => serviceOf(r.resource.Type)),
      ),
  );
  const wanted = (service: string) =>
    (services.has('*') || services.has(service)) && zoneServices.has(service);
  // Deploy-time values (partition, region, account, references) match anything.
  const pattern = rendered.replace(/\$\{[^}]*\}/g, '*');

  if (pattern === '*') {
    return [...zoneServices]
      .filter((s) => wanted(s) && isDataService(s))
      .map((s) => ({ finding: `*:${s}` }));
  }
  const arn = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(pattern);
  if (!arn) return [];
  const [, , service, , , resourcePart] = arn;
  const wildcard = /[*?]/.test(resourcePart);
  if (wildcard && ![...zoneServices].some((s) => globMatch(service, s) && wanted(s))) return [];

  // The resource type comes first (`table/`, `parameter/`, `key/`); the name is the rest.
  const typed = /^([^/:*?]+)[/:](.*)$/.exec(resourcePart);
  const name = typed ? typed[2] : resourcePart;
  const explicit = index
    .zoneNames(zone)
    .filter((n) => !index.stacksIn(zone).some((s) => s.name === n));
  // CloudFormation starts generated names with the stack name; any suffix stands for the rest.
  const generated = index.stacksIn(zone).map((s) => `${s.name}-GeneratedA1B2C3D4`);
  const candidates = [...explicit.flatMap((n) => [n, n.replace(/^\//, '')]), ...generated];
  const covered = wildcard
    ? candidates.some((c) => globMatch(name, c))
    : explicit.some((n) => name === n || name === n.replace(/^\//, '')) ||
      index.stacksIn(zone).some((s) => name.toLowerCase().startsWith(`${s.name.toLowerCase()}-`));
  return covered ? [{ finding: rendered }] : [];
}

function isDataService(service: string): boolean {
  return DATA_SERVICES_REACH.has(service);
}

const DATA_SERVICES_REACH = new Set([
  'backup',
  'dynamodb',
  'elasticfilesystem',
  'events',
  'firehose',
  'kinesis',
  'kms',
  'lambda',
  'rds',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'ssm',
  'states',
]);

/** IAM-style glob: `*` any run of characters, `?` one character. */
export function globMatch(glob: string, text: string): boolean {
  const re = new RegExp(
    '^' +
      glob
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(text);
}

/** Resolves a principal-like value (a role ARN, a role reference) to the resource it names, if in the app. */
export function principalResource(
  index: BoundaryIndex,
  value: unknown,
  from: StackInfo,
): ResourceRef | undefined {
  const pieces = index.pieces(value, from);
  const ref = pieces.find(isRef);
  return ref?.ref;
}
