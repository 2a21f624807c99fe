import { backupRetentionProblems } from '../../constructs/back-office/backup-rules';
import { BACK_OFFICE_DEFAULTS } from '../../constructs/back-office/defaults';
import { COMMAND_ID_MAX_BYTES, SHARED_PRODUCT_TAGS, WAF_BODY_INSPECTION_LIMITS } from './derived';
import { largestBodyBytes, modelSchemaProblems } from './json-schema';
import { environmentProblems } from './environments';
import { organizationProblems } from './organization';
import { DEFAULT_COST_TAGS, ZONES } from './model';
import {
  MAX_TAGS_PER_RESOURCE,
  TAGS_CDK_MAY_ADD,
  tagKeyProblem,
  tagValueProblem,
} from './tag-rules';

/**
 * Rules that span several fields of a blueprint: uniqueness, scopes that must exist, the
 * cost-tag contract, AWS quotas. They run on the raw input, even when its shape is partly wrong,
 * so that one run reports every problem; every access is therefore guarded.
 */

export interface Problem {
  /** Path into the blueprint, e.g. `['frontOffice', 'products', 1, 'costCentre']`. */
  readonly path: (string | number)[];
  readonly message: string;
}

/** AWS quotas the blueprint is checked against (Cognito and API Gateway REST, per pool/API). */
export const QUOTAS = {
  resourceServersPerUserPool: 25,
  scopesPerResourceServer: 100,
  scopesPerAppClient: 50,
  appClientsPerUserPool: 1000,
  resourcesPerRestApi: 300,
  usagePlansPerRegion: 300,
} as const;

/** The back office's minimum backup retention, in days. */
export const BACKUP_MINIMUMS = { dailyRetentionDays: 7, monthlyRetentionDays: 90 } as const;

const COGNITO_RESERVED_WORDS = ['aws', 'amazon', 'cognito'];

type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Loose) : {};
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : undefined);

export function checkBlueprintRules(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const root = obj(input);
  const backOffice = obj(root.backOffice);
  const broker = obj(root.broker);
  const frontOffice = obj(root.frontOffice);
  const capabilities = arr(backOffice.capabilities).map(obj);
  const products = arr(frontOffice.products).map(obj);
  const partners = arr(broker.partners).map(obj);

  // The cost-tag contract itself.
  const contract = obj(root.costTags);
  const patterns = new Map<string, RegExp | undefined>();
  const keys = new Map<string, string>();
  for (const role of ['zone', 'costCentre', 'owner', 'product', 'environment'] as const) {
    const rule = { ...DEFAULT_COST_TAGS[role], ...obj(contract[role]) };
    const key = str(rule.key);
    const pattern = str(rule.pattern);
    if (key !== undefined) {
      const problem = tagKeyProblem(key);
      if (problem) add(['costTags', role, 'key'], problem);
      const other = keys.get(key);
      if (other) add(['costTags', role, 'key'], `the key is already used for ${other}`);
      keys.set(key, role);
    }
    if (pattern !== undefined) {
      try {
        patterns.set(role, new RegExp(pattern, 'u'));
      } catch {
        add(['costTags', role, 'pattern'], 'must be a valid regular expression');
      }
    }
  }
  const zonePattern = patterns.get('zone');
  for (const zone of ZONES) {
    if (zonePattern && !zonePattern.test(zone)) {
      add(['costTags', 'zone', 'pattern'], `must accept the zone value "${zone}"`);
    }
  }
  const additional = obj(contract.additional);
  for (const [key, value] of Object.entries(additional)) {
    const keyProblem = tagKeyProblem(key);
    if (keyProblem) add(['costTags', 'additional', key], keyProblem);
    if (keys.has(key))
      add(['costTags', 'additional', key], `the key is already used for ${keys.get(key)}`);
    const valueProblem = typeof value === 'string' ? tagValueProblem(value) : undefined;
    if (valueProblem) add(['costTags', 'additional', key], valueProblem);
  }
  const tagCount = keys.size + Object.keys(additional).length + TAGS_CDK_MAY_ADD + 2;
  if (tagCount > MAX_TAGS_PER_RESOURCE) {
    add(
      ['costTags', 'additional'],
      `the contract puts ${tagCount} tags on a resource (with the change tags and the ${TAGS_CDK_MAY_ADD} CDK may add); AWS allows at most ${MAX_TAGS_PER_RESOURCE}`,
    );
  }

  // Every value that becomes a tag: AWS's rules, then the contract's format.
  const tagValue = (path: (string | number)[], role: string | undefined, value: unknown) => {
    if (typeof value !== 'string') return;
    const problem = tagValueProblem(value);
    if (problem) {
      add(path, problem);
      return;
    }
    const pattern = role ? patterns.get(role) : undefined;
    if (pattern && !pattern.test(value)) {
      add(path, `must match ${pattern.source}, the ${role} format of the cost-tag contract`);
    }
  };
  tagValue(['environment'], 'environment', root.environment);
  arr(root.environments).forEach((env, i) =>
    tagValue(['environments', i, 'name'], 'environment', obj(env).name),
  );
  tagValue(['backOffice', 'owner'], 'owner', backOffice.owner);
  tagValue(['backOffice', 'costCentre'], 'costCentre', backOffice.costCentre);
  tagValue(['broker', 'owner'], 'owner', broker.owner);
  tagValue(['broker', 'costCentre'], 'costCentre', broker.costCentre);
  capabilities.forEach((c, i) => {
    const at = ['backOffice', 'capabilities', i];
    tagValue([...at, 'name'], 'product', c.name);
    tagValue([...at, 'owner'], 'owner', c.owner);
    tagValue([...at, 'costCentre'], 'costCentre', c.costCentre);
    tagValue([...at, 'change', 'owner'], undefined, obj(c.change).owner);
    tagValue([...at, 'change', 'reference'], undefined, obj(c.change).reference);
  });
  products.forEach((p, i) => {
    const at = ['frontOffice', 'products', i];
    tagValue([...at, 'name'], 'product', p.name);
    tagValue([...at, 'owner'], 'owner', p.owner);
    tagValue([...at, 'costCentre'], 'costCentre', p.costCentre);
  });

  // Names that must be unique.
  unique(capabilities, ['backOffice', 'capabilities'], 'capability', add);
  unique(products, ['frontOffice', 'products'], 'product', add);
  unique(partners, ['broker', 'partners'], 'partner', add);

  // Operations, their routes and their scopes.
  const offered = new Map<string, string>();
  const routes = new Map<string, string>();
  const apiResources = new Set<string>();
  capabilities.forEach((c, i) => {
    const at = ['backOffice', 'capabilities', i];
    const capabilityName = str(c.name) ?? '';
    const ledger = obj(c.ledger);
    const keyFields = [str(ledger.partitionKey), str(ledger.sortKey)].filter(
      (k): k is string => k !== undefined,
    );
    const operations = arr(c.operations).map(obj);
    unique(operations, [...at, 'operations'], 'operation', add);
    const scopeNames = new Set<string>();
    operations.forEach((op, j) => {
      const opAt = [...at, 'operations', j];
      const kind = str(op.kind);
      const path = str(op.path);
      const scope = str(op.scope) ?? (kind === 'command' ? 'write' : 'read');
      scopeNames.add(scope);
      offered.set(`${capabilityName}/${scope}`, capabilityName);
      if (path === undefined) return;
      if (path !== `/${capabilityName}` && !path.startsWith(`/${capabilityName}/`)) {
        add([...opAt, 'path'], `must start with /${capabilityName}, the capability's name`);
      }
      const method = kind === 'command' ? 'POST' : 'GET';
      const route = `${method} ${path}`;
      const other = routes.get(route);
      if (other) add([...opAt, 'path'], `the route ${route} is already taken by ${other}`);
      routes.set(route, `${capabilityName}.${str(op.name)}`);
      const segments = path.split('/').filter(Boolean);
      segments.forEach((_, k) => apiResources.add(segments.slice(0, k + 1).join('/')));
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

      if (kind === 'command') {
        if (params.length > 0)
          add([...opAt, 'path'], 'a command takes its data in the body, not in path parameters');
        if (op.queryParameters !== undefined)
          add([...opAt, 'queryParameters'], 'a command takes no query parameters');
        const body = op.body === undefined ? undefined : obj(op.body);
        if (!body) {
          add([...opAt, 'body'], 'a command needs the JSON Schema of its body');
          return;
        }
        if (body.type !== 'object') add([...opAt, 'body', 'type'], 'must be "object"');
        // API Gateway refuses a model that is not JSON Schema draft 4, at deploy; catch it here.
        const schemaProblems = modelSchemaProblems(op.body);
        for (const problem of schemaProblems)
          add([...opAt, 'body', ...problem.path], problem.message);
        // The door must know its largest valid body: WAF refuses anything larger (DEC-018).
        const idForBound = str(op.idField) ?? str(ledger.partitionKey);
        const largest =
          schemaProblems.length === 0 && idForBound
            ? largestBodyBytes(op.body, { [idForBound]: COMMAND_ID_MAX_BYTES })
            : undefined;
        for (const problem of largest?.unbounded ?? [])
          add([...opAt, 'body', ...problem.path], problem.message);
        const maxInspected = WAF_BODY_INSPECTION_LIMITS[WAF_BODY_INSPECTION_LIMITS.length - 1];
        if (largest?.bytes !== undefined && largest.bytes > maxInspected)
          add(
            [...opAt, 'body'],
            `accepts bodies of up to ${largest.bytes} bytes; AWS WAF inspects at most ${maxInspected} bytes of a request body, so the broker cannot refuse larger ones: lower maxItems or maxLength`,
          );
        const idField = str(op.idField) ?? str(ledger.partitionKey);
        if (idField) {
          const idSchema = obj(obj(body.properties)[idField]);
          if (idField in obj(body.properties) && idSchema.type !== 'string') {
            add(
              [...opAt, 'body', 'properties', idField, 'type'],
              'must be "string": the id is a key of the ledger and of the intake queue',
            );
          }
          if (!(idField in obj(body.properties))) {
            add(
              [...opAt, 'body', 'properties'],
              `must declare ${idField}, the field that identifies the record`,
            );
          }
          if (!arr(body.required).includes(idField)) {
            add(
              [...opAt, 'body', 'required'],
              `must list ${idField}, so that a repeated command is recognised`,
            );
          }
        }
      } else if (kind === 'query') {
        if (op.body !== undefined) add([...opAt, 'body'], 'a query has no body');
        if (op.idField !== undefined) add([...opAt, 'idField'], 'only a command has an idField');
        const given = [
          ...params,
          ...arr(op.queryParameters).filter((q): q is string => typeof q === 'string'),
        ];
        for (const field of given) {
          if (!keyFields.includes(field)) {
            add(
              [...opAt, 'path'],
              `${field} is not a key of the ${capabilityName} ledger (${keyFields.join(', ')})`,
            );
          }
        }
        const partitionKey = str(ledger.partitionKey);
        if (partitionKey && !given.includes(partitionKey)) {
          add(
            [...opAt, 'path'],
            `a query must be given ${partitionKey}, the ledger's partition key, as a path or query parameter`,
          );
        }
      }
    });
    const commands = operations.filter((op) => op.kind === 'command');
    if (commands.length > 0 && str(ledger.sortKey) !== undefined) {
      add(
        [...at, 'ledger', 'sortKey'],
        "a capability that takes commands keys its ledger by the command's id alone; remove the sort key",
      );
    }
    if (c.workflow === 'book-to-bill') {
      if (commands.length === 0)
        add([...at, 'workflow'], 'book-to-bill needs a command that submits orders');
      commands.forEach((op) => {
        const j = operations.indexOf(op);
        const properties = obj(obj(op.body).properties);
        for (const field of ['customerId', 'currency', 'lines']) {
          if (!(field in properties))
            add(
              [...at, 'operations', j, 'body', 'properties'],
              `book-to-bill needs ${field} in the order body`,
            );
        }
      });
    }
    if (scopeNames.size > QUOTAS.scopesPerResourceServer) {
      add(
        [...at, 'operations'],
        quota(
          scopeNames.size,
          'scopes',
          'custom scopes per resource server',
          QUOTAS.scopesPerResourceServer,
        ),
      );
    }
  });

  const offeredList = [...offered.keys()].sort().join(', ');
  const consumerScopes = (list: Loose[], at: (string | number)[], field: string, noun: string) =>
    list.forEach((consumer, i) => {
      const scopes = arr(consumer[field]);
      const seen = new Set<unknown>();
      scopes.forEach((scope, j) => {
        if (typeof scope !== 'string') return;
        if (seen.has(scope)) add([...at, i, field, j], 'is listed twice');
        seen.add(scope);
        if (!offered.has(scope)) {
          add(
            [...at, i, field, j],
            `${noun} ${str(consumer.name) ?? i} consumes scope ${scope}, which no capability offers (offered: ${offeredList || 'none'})`,
          );
        }
      });
      if (scopes.length > QUOTAS.scopesPerAppClient) {
        add(
          [...at, i, field],
          quota(scopes.length, 'scopes', 'scopes per app client', QUOTAS.scopesPerAppClient),
        );
      }
    });
  consumerScopes(products, ['frontOffice', 'products'], 'consumes', 'product');
  consumerScopes(partners, ['broker', 'partners'], 'scopes', 'partner');

  products.forEach((p, i) => {
    const components = obj(p.components);
    if (Object.keys(components).length === 0) {
      add(
        ['frontOffice', 'products', i, 'components'],
        'a product needs at least one of web, api or data',
      );
    }
    // An API serves the broker operations its product consumes: without any it has no routes.
    if (components.api !== undefined && arr(p.consumes).length === 0) {
      add(
        ['frontOffice', 'products', i, 'consumes'],
        'is empty, but the product has an api: its routes are the broker operations it consumes, so it would have none; consume a scope or remove components.api',
      );
    }
  });

  // Quotas of the one user pool and the one REST API the broker runs.
  if (capabilities.length > QUOTAS.resourceServersPerUserPool) {
    add(
      ['backOffice', 'capabilities'],
      quota(
        capabilities.length,
        'capabilities',
        'resource servers per user pool',
        QUOTAS.resourceServersPerUserPool,
      ),
    );
  }
  // Raised quotas, declared once AWS has granted them (deployment.accountQuotas).
  const raised = obj(obj(root.deployment).accountQuotas);
  const clientLimit = num(raised.cognitoAppClients) ?? QUOTAS.appClientsPerUserPool;
  const clientCount = products.length + partners.length;
  if (clientCount > clientLimit) {
    add(
      // The list that pushes the count over: the partners when the products alone fit.
      products.length <= clientLimit ? ['broker', 'partners'] : ['frontOffice', 'products'],
      `${quota(clientCount, 'consumers (products and partners)', 'app clients per user pool', clientLimit)}; declare deployment.accountQuotas.cognitoAppClients once AWS has raised it`,
    );
  }
  const planLimit = num(raised.apiGatewayUsagePlans) ?? QUOTAS.usagePlansPerRegion;
  const throttleOf = (c: Loose) =>
    JSON.stringify(c.throttle ?? broker.consumerThrottle ?? 'default');
  const throttles = new Set([...products, ...partners].map(throttleOf));
  if (throttles.size > planLimit) {
    add(
      ['broker', 'partners'],
      `${quota(throttles.size, 'distinct consumer throttles (one usage plan each)', 'usage plans per account and region', planLimit)}; declare deployment.accountQuotas.apiGatewayUsagePlans once AWS has raised it`,
    );
  }
  if (apiResources.size > QUOTAS.resourcesPerRestApi) {
    add(
      ['backOffice', 'capabilities'],
      quota(
        apiResources.size,
        'API resources',
        'resources per REST API',
        QUOTAS.resourcesPerRestApi,
      ),
    );
  }

  // Broker identity.
  const domainPrefix = str(broker.domainPrefix);
  const reserved = COGNITO_RESERVED_WORDS.find((w) => domainPrefix?.includes(w));
  if (reserved)
    add(['broker', 'domainPrefix'], `must not contain "${reserved}", which Cognito reserves`);

  // Backups: the back office's minimums, then AWS Backup's own rules, as ZoneBackup checks them.
  const backup = obj(backOffice.backup);
  const daily = num(backup.dailyRetentionDays) ?? BACK_OFFICE_DEFAULTS.backup.dailyRetentionDays;
  const monthly =
    num(backup.monthlyRetentionDays) ?? BACK_OFFICE_DEFAULTS.backup.monthlyRetentionDays;
  const backupPath = ['backOffice', 'backup'];
  const reportedBackup = new Set<string>();
  if (daily < BACKUP_MINIMUMS.dailyRetentionDays) {
    reportedBackup.add('dailyRetentionDays');
    add(
      [...backupPath, 'dailyRetentionDays'],
      `must be at least ${BACKUP_MINIMUMS.dailyRetentionDays} days, the back office's backup minimum`,
    );
  }
  if (monthly < BACKUP_MINIMUMS.monthlyRetentionDays) {
    reportedBackup.add('monthlyRetentionDays');
    add(
      [...backupPath, 'monthlyRetentionDays'],
      `must be at least ${BACKUP_MINIMUMS.monthlyRetentionDays} days, the back office's backup minimum`,
    );
  }
  const lock = backup.vaultLock === undefined ? undefined : obj(backup.vaultLock);
  const backupProblems = backupRetentionProblems({
    dailyRetentionDays: daily,
    monthlyRetentionDays: monthly,
    vaultLock: lock && {
      minRetentionDays: num(lock.minRetentionDays),
      maxRetentionDays: num(lock.maxRetentionDays),
      changeableForDays: num(lock.changeableForDays),
    },
  });
  for (const { path, problem } of backupProblems) {
    if (reportedBackup.has(path.join('.'))) continue;
    reportedBackup.add(path.join('.'));
    add([...backupPath, ...path], problem);
  }

  // Cost attribution: a product tag value names one thing, and budgets cover known cost centres.
  const reservedTags = Object.values(SHARED_PRODUCT_TAGS) as string[];
  const capabilityNames = new Map<string, number>();
  capabilities.forEach((c, i) => {
    const n = str(c.name);
    if (n !== undefined) capabilityNames.set(n, i);
    // A capability's own resources carry its name as their product tag.
    if (n !== undefined && reservedTags.includes(n)) {
      add(
        ['backOffice', 'capabilities', i, 'name'],
        `is reserved: the product cost tag ${n} attributes shared IT resources`,
      );
    }
  });
  products.forEach((p, i) => {
    const n = str(p.name);
    if (n === undefined) return;
    const capability = capabilityNames.get(n);
    if (capability !== undefined) {
      add(
        ['frontOffice', 'products', i, 'name'],
        `is also the name of back-office capability backOffice.capabilities[${capability}]; the product cost tag would attribute both to one product`,
      );
    } else if (reservedTags.includes(n)) {
      add(
        ['frontOffice', 'products', i, 'name'],
        `is reserved: the product cost tag ${n} attributes shared IT resources`,
      );
    }
  });
  const backOfficeCentres = new Set<string>();
  const centre = str(backOffice.costCentre);
  if (centre !== undefined) backOfficeCentres.add(centre);
  for (const c of capabilities) {
    const own = str(c.costCentre);
    if (own !== undefined) backOfficeCentres.add(own);
  }
  if (backOffice.budgets !== undefined) {
    const budgets = arr(backOffice.budgets).map(obj);
    const budgeted = new Map<string, number>();
    budgets.forEach((b, i) => {
      const at = ['backOffice', 'budgets', i, 'costCentre'];
      const c = str(b.costCentre);
      if (c === undefined) return;
      if (budgeted.has(c)) {
        add(at, `another budget is for this cost centre (backOffice.budgets[${budgeted.get(c)}])`);
        return;
      }
      budgeted.set(c, i);
      if (!backOfficeCentres.has(c)) {
        add(
          at,
          `is not a back-office cost centre (back-office cost centres: ${[...backOfficeCentres].sort().join(', ')})`,
        );
      }
    });
    const missing = [...backOfficeCentres].filter((c) => !budgeted.has(c)).sort();
    if (missing.length > 0) {
      add(
        ['backOffice', 'budgets'],
        `every back-office cost centre needs a budget; missing: ${missing.join(', ')}`,
      );
    }
  }

  problems.push(...environmentProblems(input));
  problems.push(...organizationProblems(input));

  return problems;
}

function unique(
  items: Loose[],
  at: (string | number)[],
  noun: string,
  add: (path: (string | number)[], message: string) => void,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const name = str(item.name);
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) {
      add([...at, i, 'name'], `another ${noun} has this name (${at.join('.')}[${first}])`);
    } else {
      seen.set(name, i);
    }
  });
}

function quota(count: number, what: string, quotaName: string, limit: number): string {
  return `${count} ${what} exceed the AWS quota "${quotaName}" (at most ${limit})`;
}
