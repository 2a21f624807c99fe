import { type BrokerApiKeys, clientNamePrefixes, type KeyIndex } from './api-keys';
import { EXIT } from './errors';
import { type CliManifest, ownerStackOf } from './manifest';
import { type CliIo, list, table, write } from './output';
import type { AppClient, BrokerPool } from './pool';

/** The kinds of drift `audit` reports. */
export type FindingKind =
  /** An app client neither the blueprint declares nor the CLI onboarded. */
  | 'unknown-client'
  /** A consumer the blueprint declares has no app client. */
  | 'missing-client'
  /** More than one app client carries a declared consumer's name. */
  | 'duplicate-client'
  /** Scopes beyond the declared ones (declared consumers) or beyond what the broker offers. */
  | 'excess-scopes'
  /** A declared consumer's client lacks scopes the blueprint gives it. */
  | 'missing-scopes'
  /** OAuth or auth flows other than client credentials (and the refresh-token auth Cognito forces). */
  | 'non-machine-flows'
  /** A declared or onboarded client without an API key in a usage plan of the API: refused (403). */
  | 'missing-api-key'
  /** A declared or onboarded client whose API key is disabled: refused (403). */
  | 'disabled-api-key'
  /** An API key named like a client (`product.`, `partner.`, `onboarded.`) whose client is gone. */
  | 'orphan-api-key';

export interface Finding {
  readonly kind: FindingKind;
  readonly clientName: string;
  readonly clientId: string | null;
  readonly detail: string;
  /** The API key a finding is about, for the API-key findings. */
  readonly apiKeyId?: string | null;
}

/** The auth flow Cognito always allows; every other one is for people, not machines. */
const MACHINE_AUTH_FLOWS = new Set(['ALLOW_REFRESH_TOKEN_AUTH']);

/** Compares the live app clients with the manifest. Pure: the same input, the same findings. */
export function auditClients(manifest: CliManifest, clients: readonly AppClient[]): Finding[] {
  const findings: Finding[] = [];
  const offered = new Set(manifest.scopes.map((s) => s.scope));
  const add = (kind: FindingKind, c: AppClient | string, detail: string) =>
    findings.push({
      kind,
      clientName: typeof c === 'string' ? c : c.clientName,
      clientId: typeof c === 'string' ? null : c.clientId,
      detail,
    });

  for (const consumer of manifest.consumers) {
    const live = clients.filter((c) => c.clientName === consumer.clientName);
    if (live.length === 0) {
      add(
        'missing-client',
        consumer.clientName,
        `${consumer.kind} ${consumer.name} is declared in the blueprint but has no app client`,
      );
    } else if (live.length > 1) {
      add(
        'duplicate-client',
        consumer.clientName,
        `${live.length} app clients carry this declared name: ${live.map((c) => c.clientId).join(', ')}`,
      );
    }
  }

  for (const c of clients) {
    if (c.origin === 'unknown') {
      add(
        'unknown-client',
        c,
        `neither declared in the blueprint nor onboarded by this CLI (scopes: ${list(c.scopes)})`,
      );
    }
    if (c.origin === 'declared' && c.declared) {
      const allowed = new Set(c.declared.scopes);
      const excess = c.scopes.filter((s) => !allowed.has(s));
      if (excess.length > 0) {
        add('excess-scopes', c, `scopes beyond the declared ones: ${excess.join(' ')}`);
      }
      const missing = c.declared.scopes.filter((s) => !c.scopes.includes(s));
      if (missing.length > 0) {
        add('missing-scopes', c, `declared scopes it lacks: ${missing.join(' ')}`);
      }
    } else {
      const excess = c.scopes.filter((s) => !offered.has(s));
      if (excess.length > 0) {
        add('excess-scopes', c, `scopes the broker does not offer: ${excess.join(' ')}`);
      }
    }
    const other = [
      ...c.oauthFlows.filter((f) => f !== 'client_credentials'),
      ...c.authFlows.filter((f) => !MACHINE_AUTH_FLOWS.has(f)),
    ];
    const machine = c.oauthFlows.includes('client_credentials');
    if (other.length > 0 || !machine) {
      const parts = [
        ...(other.length > 0 ? [`flows other than client credentials: ${other.join(' ')}`] : []),
        ...(machine ? [] : ['the client-credentials flow is not enabled']),
      ];
      add('non-machine-flows', c, parts.join('; '));
    }
  }
  return findings;
}

/**
 * Compares the broker's API keys with the live app clients. Pure: the same input, the same
 * findings. A key is matched to its client by name, as the broker names both.
 */
export function auditApiKeys(
  manifest: CliManifest,
  clients: readonly AppClient[],
  index: KeyIndex,
): Finding[] {
  const findings: Finding[] = [];
  const api = `the REST API ${index.apiId}`;
  const byName = new Map<string, AppClient[]>();
  for (const c of clients) byName.set(c.clientName, [...(byName.get(c.clientName) ?? []), c]);

  for (const [clientName, generations] of byName) {
    if (generations[0].origin === 'unknown') continue;
    const clientId = generations.length === 1 ? generations[0].clientId : null;
    const { status, keys } = index.status(clientName);
    const ids = keys.map((k) => k.id).join(', ');
    const apiKeyId = keys.length === 1 ? keys[0].id : null;
    if (status === 'missing') {
      findings.push({
        kind: 'missing-api-key',
        clientName,
        clientId,
        detail: `no API key named ${clientName} in a usage plan of ${api}: API Gateway refuses its calls (403)`,
        apiKeyId,
      });
    } else if (status === 'unattached') {
      findings.push({
        kind: 'missing-api-key',
        clientName,
        clientId,
        detail: `its API key ${ids} is in no usage plan of ${api}: API Gateway refuses its calls (403)`,
        apiKeyId,
      });
    } else if (status === 'disabled') {
      findings.push({
        kind: 'disabled-api-key',
        clientName,
        clientId,
        detail: `its API key ${ids} is disabled: API Gateway refuses its calls (403)`,
        apiKeyId,
      });
    }
  }

  const prefixes = clientNamePrefixes(manifest);
  for (const key of index.keys) {
    if (key.placement === 'other-api') continue;
    if (!prefixes.some((p) => key.name.startsWith(p)) || byName.has(key.name)) continue;
    const declared = manifest.consumers.find((c) => c.clientName === key.name);
    const where = key.placement === 'unattached' ? 'in no usage plan' : `in a usage plan of ${api}`;
    const fix = declared
      ? `deploy the stack ${ownerStackOf(manifest, declared)}, which owns it`
      : `delete it with office-zones consumers revoke ${key.name}`;
    findings.push({
      kind: 'orphan-api-key',
      clientName: key.name,
      clientId: null,
      detail: `API key ${key.id} (${where}) has no app client of that name: ${fix}`,
      apiKeyId: key.id,
    });
  }
  return findings;
}

/** `audit`: exit 0 when the pool and the API keys match the manifest, 1 on drift. */
export async function audit(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  io: CliIo,
  json: boolean,
): Promise<number> {
  const api = await keys.api();
  const clients = await pool.listClients();
  const index = await keys.index();
  const findings = [
    ...auditClients(pool.manifest, clients),
    ...auditApiKeys(pool.manifest, clients, index),
  ];
  const apiKeys = index.inPlans.length;
  if (json) {
    const report = {
      userPoolId: pool.ref.id,
      userPoolName: pool.manifest.userPool.name,
      apiId: api.id,
      clean: findings.length === 0,
      clients: clients.length,
      declaredConsumers: pool.manifest.consumers.length,
      apiKeys,
      findings,
    };
    await write(io.stdout, JSON.stringify(report, null, 2) + '\n');
  } else {
    const summary = `user pool ${pool.ref.id} (${pool.manifest.userPool.name}): ${clients.length} app client${clients.length === 1 ? '' : 's'}, ${pool.manifest.consumers.length} declared consumer${pool.manifest.consumers.length === 1 ? '' : 's'}; REST API ${api.id}: ${apiKeys} API key${apiKeys === 1 ? '' : 's'} in its usage plans`;
    if (findings.length === 0) {
      await write(io.stdout, `${summary}\nno drift\n`);
    } else {
      await write(
        io.stdout,
        `${summary}\n` +
          table(
            ['FINDING', 'CLIENT NAME', 'CLIENT ID', 'DETAIL'],
            findings.map((f) => [f.kind, f.clientName, f.clientId ?? '-', f.detail]),
          ) +
          `drift: ${findings.length} finding${findings.length === 1 ? '' : 's'}\n`,
      );
    }
  }
  return findings.length === 0 ? EXIT.ok : EXIT.drift;
}
