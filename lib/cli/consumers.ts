import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ApiKeyInfo, type BrokerApiKeys, clientNamePrefixes } from './api-keys';
import { AwsCallError, describeFailure } from './aws';
import { CliError } from './errors';
import { type CliManifest, type DeclaredConsumer, ownerStackOf } from './manifest';
import { type CliIo, list, table, write, writePrivateFile } from './output';
import type { AppClient, BrokerPool } from './pool';

/**
 * A consumer name the CLI accepts: the blueprint's rule for names (2 to 30 lower-case letters,
 * digits or single hyphens, starting with a letter). It is stricter than Cognito's client-name
 * pattern, so every accepted name also passes Cognito.
 */
const NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,29}$/;
const NAME_RULE =
  'must be 2 to 30 lower-case letters, digits or single hyphens, starting with a letter';

/** What a partner needs to call the broker. */
interface Credentials {
  readonly consumer: string;
  readonly clientName: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly userPoolId: string;
  readonly tokenUrl?: string;
  /** The API key for the `x-api-key` header; onboarding delivers it, rotation leaves it as it is. */
  readonly apiKey?: { readonly id: string; readonly value: string };
  readonly apiUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// consumers list

export async function listConsumers(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  io: CliIo,
  json: boolean,
): Promise<void> {
  const api = await keys.api();
  const clients = await pool.listClients();
  const index = await keys.index();
  const keyOf = (c: AppClient) => index.status(c.clientName);
  if (json) {
    const data = clients.map((c) => ({
      clientName: c.clientName,
      clientId: c.clientId,
      origin: c.origin,
      oauthFlows: c.oauthFlows,
      authFlows: c.authFlows,
      scopes: c.scopes,
      apiKey: { status: keyOf(c).status, ids: keyOf(c).keys.map((k) => k.id) },
      createdAt: c.createdAt?.toISOString() ?? null,
    }));
    await write(
      io.stdout,
      JSON.stringify({ userPoolId: pool.ref.id, apiId: api.id, clients: data }, null, 2) + '\n',
    );
    return;
  }
  if (clients.length === 0) {
    await write(io.stdout, `user pool ${pool.ref.id} has no app clients\n`);
    return;
  }
  await write(
    io.stdout,
    table(
      ['CLIENT NAME', 'ORIGIN', 'API KEY', 'CLIENT ID', 'FLOWS', 'SCOPES'],
      clients.map((c) => [
        c.clientName,
        c.origin,
        keyOf(c).status,
        c.clientId,
        list([...c.oauthFlows, ...c.authFlows]),
        list(c.scopes),
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// consumers onboard

export interface OnboardOptions {
  readonly scopes: readonly string[];
  readonly out?: string;
}

function declaredNamed(manifest: CliManifest, name: string): DeclaredConsumer | undefined {
  return manifest.consumers.find((c) => c.clientName === name || c.name === name);
}

/**
 * What is wrong with an onboarding request, from the manifest alone (no AWS call): the name's
 * rules, scopes the broker offers, and names the blueprint declares. Every problem, in order.
 */
export function onboardingProblems(
  manifest: CliManifest,
  name: string,
  scopes: readonly string[],
): string[] {
  const problems: string[] = [];
  if (!NAME.test(name)) problems.push(`name ${JSON.stringify(name)} ${NAME_RULE}`);
  const offered = manifest.scopes.map((s) => s.scope);
  if (scopes.length === 0) {
    problems.push(`--scopes needs at least one scope (offered: ${offered.join(', ')})`);
  }
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (!offered.includes(scope)) {
      problems.push(
        `scope ${JSON.stringify(scope)} is not offered by the broker (offered: ${offered.join(', ')})`,
      );
    } else if (seen.has(scope)) {
      problems.push(`scope ${scope} is given twice`);
    }
    seen.add(scope);
  }
  const declared = declaredNamed(manifest, name);
  if (declared) {
    problems.push(
      `${name} is declared in the blueprint as ${declared.clientName}; its app client comes from the stack ${ownerStackOf(manifest, declared)}`,
    );
  }
  return problems;
}

/** Refuses, from the manifest alone, an onboarding that cannot be done. */
export function checkOnboarding(
  manifest: CliManifest,
  name: string,
  scopes: readonly string[],
): void {
  const problems = onboardingProblems(manifest, name, scopes);
  if (problems.length > 0) {
    throw new CliError(`cannot onboard ${JSON.stringify(name)}: ${problems.join('; ')}`);
  }
}

/** Refuses, from the manifest alone, to rotate a product's secret (its consumer stack owns it). */
export function checkRotation(manifest: CliManifest, name: string): void {
  const declared = declaredNamed(manifest, name);
  if (declared?.kind === 'product') {
    throw new CliError(
      `${declared.clientName} is a product the blueprint declares: the stack ${ownerStackOf(manifest, declared)} delivers its credentials to the product's runtime, so a secret rotated here would not reach it; its secret rotates on the schedule of that stack`,
    );
  }
}

/** Refuses, from the manifest alone, to revoke a consumer the blueprint declares. */
export function checkRevocation(manifest: CliManifest, name: string): void {
  const declared = declaredNamed(manifest, name);
  if (declared) {
    throw new CliError(
      `${declared.clientName} is declared in the blueprint (${declared.kind} ${declared.name}): revoking it is a change to the blueprint; destroy the stack ${ownerStackOf(manifest, declared)}, then remove it from the blueprint and deploy (README, "Removing a product or partner")`,
    );
  }
}

/** Resolves `--out` and refuses, before anything is created, a file that exists or cannot be made. */
function checkOut(io: CliIo, out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  const file = path.resolve(io.cwd, out);
  if (fs.existsSync(file)) {
    throw new CliError(
      `--out ${out} exists; refusing to overwrite credentials (nothing was changed)`,
    );
  }
  const dir = path.dirname(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CliError(`--out ${out}: the directory ${dir} does not exist (nothing was changed)`);
  }
  return file;
}

/**
 * Hands the credentials over: once on stdout, or into a new file with mode 0600 (`--out`).
 * Throws when they could not be delivered; the caller then undoes what it made.
 */
async function deliver(
  io: CliIo,
  file: string | undefined,
  creds: Credentials,
  headline: string,
): Promise<void> {
  if (file) {
    const document = {
      consumer: creds.consumer,
      clientName: creds.clientName,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      scopes: creds.scopes,
      userPoolId: creds.userPoolId,
      tokenUrl: creds.tokenUrl ?? null,
      ...(creds.apiKey
        ? {
            apiKey: creds.apiKey.value,
            apiKeyId: creds.apiKey.id,
            apiKeyHeader: 'x-api-key',
            apiUrl: creds.apiUrl ?? null,
          }
        : {}),
    };
    writePrivateFile(file, JSON.stringify(document, null, 2) + '\n');
    // The secret is delivered; a failing confirmation must not undo it.
    await write(io.stdout, `${headline}\nwrote its credentials to ${file} (mode 0600)\n`).catch(
      () => undefined,
    );
    return;
  }
  await write(
    io.stdout,
    [
      headline,
      `client_id:     ${creds.clientId}`,
      `client_secret: ${creds.clientSecret}`,
      ...(creds.apiKey ? [`api_key:       ${creds.apiKey.value}`] : []),
      `scopes:        ${creds.scopes.join(' ')}`,
      ...(creds.tokenUrl ? [`token_url:     ${creds.tokenUrl}`] : []),
      ...(creds.apiUrl ? [`api_url:       ${creds.apiUrl}`] : []),
      creds.apiKey
        ? 'The secret and the API key are shown this once. Hand them to the consumer over a secure channel; every call sends the API key in the x-api-key header.'
        : 'The secret is shown this once. Hand it to the consumer over a secure channel.',
      '',
    ].join('\n'),
  );
}

function reason(e: unknown): string {
  if (e instanceof AwsCallError || e instanceof CliError) return describeFailure(e);
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/**
 * Deletes every app client with this name after a failed onboarding and, once the CLI has tried
 * to make one, every API key of the broker with this name (none existed before: onboarding checks).
 * Says what was deleted and what may be left.
 */
async function cleanUp(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  clientName: string,
  consumer: string,
  triedKey: boolean,
): Promise<string> {
  const deleted: string[] = [];
  const left: string[] = [];
  try {
    const made = await pool.clientsNamed(clientName);
    for (const c of made) await pool.deleteClient(c.clientId);
    if (made.length > 0) {
      deleted.push(`the app client it had created (${made.map((c) => c.clientId).join(', ')})`);
    }
  } catch {
    left.push(`the app client ${clientName}`);
  }
  if (triedKey) {
    try {
      const made = (await keys.index(clientName)).named(clientName);
      for (const k of made) await keys.deleteKey(k.id);
      if (made.length > 0) {
        deleted.push(`its API key (${made.map((k) => k.id).join(', ')})`);
      }
    } catch {
      left.push(`an API key named ${clientName}`);
    }
  }
  const done =
    deleted.length > 0
      ? `deleted ${deleted.join(' and ')}`
      : left.length === 0
        ? triedKey
          ? 'no app client or API key was left behind'
          : 'no app client was left behind'
        : '';
  if (left.length === 0) return done;
  const may = `${left.join(' and ')} may exist: run office-zones consumers revoke ${consumer} once the endpoint answers`;
  return done ? `${done}; ${may}` : may;
}

export async function onboardConsumer(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  io: CliIo,
  name: string,
  options: OnboardOptions,
): Promise<void> {
  checkOnboarding(pool.manifest, name, options.scopes);
  const file = checkOut(io, options.out);
  const clientName = `${pool.manifest.onboardedClientPrefix}${name}`;
  const existing = await pool.clientsNamed(clientName);
  if (existing.length > 0) {
    throw new CliError(
      `${name} is already onboarded (app client ${clientName}, ${existing.map((c) => c.clientId).join(', ')}): rotate or revoke it instead`,
    );
  }
  // Everything the API key needs is checked before anything is made.
  const api = await keys.api();
  const plan = await keys.onboardedPlan();
  const index = await keys.index(clientName);
  if (!index.plans.some((p) => p.id === plan.id)) {
    throw new CliError(
      `usage plan ${plan.id} (from ${plan.source}) is not a usage plan of the REST API ${api.id} (from ${api.source}): check --usage-plan-id and --api-id (nothing was changed)`,
    );
  }
  const leftover = index.named(clientName);
  if (leftover.length > 0) {
    throw new CliError(
      `an API key named ${clientName} exists without its app client (${leftover.map((k) => k.id).join(', ')}): delete it with office-zones consumers revoke ${name}, then onboard again (nothing was changed)`,
    );
  }

  let made: { clientId: string; clientSecret: string };
  try {
    made = await pool.createMachineClient(clientName, options.scopes);
  } catch (e) {
    // A lost answer may hide a client that was created: look for it by name and remove it.
    throw new CliError(
      `onboarding ${name} failed: ${reason(e)}; ${await cleanUp(pool, keys, clientName, name, false)}`,
    );
  }
  let apiKey: { id: string; value: string };
  try {
    apiKey = await keys.createKey(clientName);
    await keys.attach(plan.id, apiKey.id);
  } catch (e) {
    // The client without its key would be refused by API Gateway: undo both.
    throw new CliError(
      `onboarding ${name} failed: ${reason(e)}; ${await cleanUp(pool, keys, clientName, name, true)}`,
    );
  }
  const creds: Credentials = {
    consumer: name,
    clientName,
    clientId: made.clientId,
    clientSecret: made.clientSecret,
    scopes: options.scopes,
    userPoolId: pool.ref.id,
    ...(pool.manifest.domain.tokenUrl ? { tokenUrl: pool.manifest.domain.tokenUrl } : {}),
    apiKey,
    ...(pool.manifest.api?.url ? { apiUrl: pool.manifest.api.url } : {}),
  };
  try {
    await deliver(
      io,
      file,
      creds,
      `onboarded ${name} as app client ${clientName}, with API key ${apiKey.id} in usage plan ${plan.id}`,
    );
  } catch (e) {
    throw new CliError(
      `could not deliver the credentials of ${name} (${reason(e)}); ${await cleanUp(pool, keys, clientName, name, true)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// consumers rotate and revoke: which app clients a name means

interface Target {
  readonly clientName: string;
  readonly declared?: DeclaredConsumer;
  readonly clients: AppClient[];
}

/**
 * `acme` and `onboarded.acme` mean the onboarded consumer; a declared consumer is found by its
 * name or client name; any other exact client name finds an unknown client.
 */
async function findTarget(pool: BrokerPool, name: string): Promise<Target> {
  const declared = declaredNamed(pool.manifest, name);
  if (declared) {
    return {
      clientName: declared.clientName,
      declared,
      clients: await pool.clientsNamed(declared.clientName),
    };
  }
  const prefix = pool.manifest.onboardedClientPrefix;
  const onboardedName = name.startsWith(prefix) ? name : `${prefix}${name}`;
  const onboarded = await pool.clientsNamed(onboardedName);
  if (onboarded.length > 0 || name.startsWith(prefix)) {
    return { clientName: onboardedName, clients: onboarded };
  }
  const exact = await pool.clientsNamed(name);
  return exact.length > 0
    ? { clientName: name, clients: exact }
    : { clientName: onboardedName, clients: [] };
}

function noSuchClient(pool: BrokerPool, target: Target): CliError {
  return new CliError(
    `no app client named ${target.clientName} in user pool ${pool.ref.id} (see office-zones consumers list)`,
  );
}

// ---------------------------------------------------------------------------------------------
// consumers rotate

export interface RotateOptions {
  readonly retirePrevious: boolean;
  readonly out?: string;
}

export async function rotateConsumer(
  pool: BrokerPool,
  io: CliIo,
  name: string,
  options: RotateOptions,
): Promise<void> {
  checkRotation(pool.manifest, name);
  const target = await findTarget(pool, name);
  if (target.clients.length === 0) throw noSuchClient(pool, target);
  if (options.retirePrevious) return retirePrevious(pool, io, target);

  const file = checkOut(io, options.out);
  if (target.clients.length > 1) {
    throw new CliError(
      `a rotation of ${target.clientName} is under way (${target.clients.length} app clients: ${target.clients.map((c) => c.clientId).join(', ')}): once the consumer uses the new credentials, run office-zones consumers rotate ${name} --retire-previous`,
    );
  }
  const [client] = target.clients;
  const secrets = await pool.listSecrets(client.clientId);
  const base = {
    consumer: target.declared?.name ?? name,
    clientName: target.clientName,
    scopes: client.scopes,
    userPoolId: pool.ref.id,
    ...(pool.manifest.domain.tokenUrl ? { tokenUrl: pool.manifest.domain.tokenUrl } : {}),
  };

  if (secrets !== undefined) {
    // Cognito's secret-rotation API: same client id, a second secret, both valid until one is retired.
    if (secrets.length >= 2) {
      throw new CliError(
        `a rotation of ${target.clientName} is under way (it has ${secrets.length} secrets): once the consumer uses the new secret, run office-zones consumers rotate ${name} --retire-previous`,
      );
    }
    const added = await pool.addSecret(client.clientId);
    try {
      await deliver(
        io,
        file,
        { ...base, clientId: client.clientId, clientSecret: added.secret },
        `rotated ${target.clientName}: a new secret (${added.id}) for the same client id; the previous secret stays valid until office-zones consumers rotate ${name} --retire-previous`,
      );
    } catch (e) {
      let undo = 'deleted the new secret';
      try {
        await pool.deleteSecret(client.clientId, added.id);
      } catch {
        undo = `the new secret ${added.id} may remain: run office-zones consumers rotate ${name} --retire-previous after a new rotation`;
      }
      throw new CliError(`could not deliver the new secret of ${name} (${reason(e)}); ${undo}`);
    }
    return;
  }

  // No secret-rotation API here: a successor client with the same name and scopes.
  if (target.declared) {
    throw new CliError(
      `this endpoint has no secret-rotation API, and ${target.clientName} is declared in the blueprint: its app client belongs to the stack that declares it, so a successor client would live outside it; rotate it by replacing the client in that stack`,
    );
  }
  let made: { clientId: string; clientSecret: string };
  try {
    made = await pool.createMachineClient(target.clientName, client.scopes);
  } catch (e) {
    throw new CliError(
      `rotating ${name} failed: ${reason(e)}; ${await cleanUpSuccessor(pool, target, client)}`,
    );
  }
  try {
    await deliver(
      io,
      file,
      { ...base, clientId: made.clientId, clientSecret: made.clientSecret },
      `rotated ${target.clientName}: a successor app client (this endpoint has no secret-rotation API); the previous client ${client.clientId} stays valid until office-zones consumers rotate ${name} --retire-previous`,
    );
  } catch (e) {
    let undo = `deleted the successor client ${made.clientId}`;
    try {
      await pool.deleteClient(made.clientId);
    } catch {
      undo = `the successor client ${made.clientId} may remain: revoke it with office-zones consumers revoke ${name} --client-id ${made.clientId}`;
    }
    throw new CliError(`could not deliver the new credentials of ${name} (${reason(e)}); ${undo}`);
  }
}

/** After a failed successor creation: deletes any client of that name except the one in use. */
async function cleanUpSuccessor(
  pool: BrokerPool,
  target: Target,
  current: AppClient,
): Promise<string> {
  try {
    const extra = (await pool.clientsNamed(target.clientName)).filter(
      (c) => c.clientId !== current.clientId,
    );
    for (const c of extra) await pool.deleteClient(c.clientId);
    return extra.length === 0
      ? `the credentials in use (${current.clientId}) are unchanged`
      : `deleted the successor client it had created; the credentials in use (${current.clientId}) are unchanged`;
  } catch {
    return `a successor client named ${target.clientName} may exist besides ${current.clientId}: check with office-zones consumers list`;
  }
}

async function retirePrevious(pool: BrokerPool, io: CliIo, target: Target): Promise<void> {
  if (target.clients.length > 1) {
    // Successor clients: keep the newest.
    if (target.declared) {
      throw new CliError(
        `${target.clientName} is declared in the blueprint and has ${target.clients.length} app clients: remove the extra ones in the stack that declares it, not here`,
      );
    }
    const newest = target.clients[target.clients.length - 1];
    const tied = target.clients.filter(
      (c) => c !== newest && c.createdAt?.getTime() === newest.createdAt?.getTime(),
    );
    if (tied.length > 0) {
      throw new CliError(
        `cannot tell which app client named ${target.clientName} is the newest (${[...tied, newest].map((c) => c.clientId).join(', ')} were created in the same second): revoke the old one with office-zones consumers revoke <name> --client-id <id>`,
      );
    }
    const previous = target.clients.slice(0, -1);
    for (const c of previous) await pool.deleteClient(c.clientId);
    await write(
      io.stdout,
      `retired the previous app client${previous.length > 1 ? 's' : ''} of ${target.clientName} (${previous.map((c) => c.clientId).join(', ')}); ${newest.clientId} remains\n`,
    );
    return;
  }
  const [client] = target.clients;
  const secrets = await pool.listSecrets(client.clientId);
  if (secrets === undefined || secrets.length < 2) {
    await write(
      io.stdout,
      `nothing to retire: ${target.clientName} has one app client${secrets ? ' and one secret' : ''}\n`,
    );
    return;
  }
  const previous = secrets.slice(0, -1);
  for (const s of previous) await pool.deleteSecret(client.clientId, s.id);
  await write(
    io.stdout,
    `retired the previous secret${previous.length > 1 ? 's' : ''} of ${target.clientName} (${previous.map((s) => s.id).join(', ')}); ${secrets[secrets.length - 1].id} remains\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// consumers revoke

export interface RevokeOptions {
  /** Only this app client (one generation during a successor-client rotation). */
  readonly clientId?: string;
}

export async function revokeConsumer(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  io: CliIo,
  name: string,
  options: RevokeOptions,
): Promise<void> {
  checkRevocation(pool.manifest, name);
  // Known before anything is deleted: which API the consumer's key belongs to.
  const api = await keys.api();
  const target = await findTarget(pool, name);
  let clients = target.clients;
  if (options.clientId) {
    clients = clients.filter((c) => c.clientId === options.clientId);
    if (clients.length === 0) {
      throw new CliError(
        `no app client ${options.clientId} named ${target.clientName} in user pool ${pool.ref.id}`,
      );
    }
  }
  if (clients.length === 0) return revokeOrphanKeys(pool, keys, io, name, target, api.id);

  const deleted: string[] = [];
  for (const c of clients) {
    if (await pool.deleteClient(c.clientId)) deleted.push(c.clientId);
  }
  const revoked = `revoked ${target.clientName}: deleted app client${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}`;
  const tokens =
    'it can get no new tokens, and tokens already issued expire within its access-token validity';

  // One generation of a successor-client rotation: the other one still uses the key.
  const remaining = options.clientId ? await pool.clientsNamed(target.clientName) : [];
  if (remaining.length > 0) {
    await write(
      io.stdout,
      `${revoked}; its API key stays for the remaining app client${remaining.length === 1 ? '' : 's'} ${remaining.map((c) => c.clientId).join(', ')}; ${tokens}\n`,
    );
    return;
  }
  let removed: ApiKeyInfo[];
  try {
    removed = await deleteKeysNamed(keys, target.clientName);
  } catch (e) {
    throw new CliError(
      `${revoked}, but deleting its API key failed: ${reason(e)}; run office-zones consumers revoke ${name} again to delete the key`,
    );
  }
  const keyPart =
    removed.length > 0
      ? `, and API key${removed.length === 1 ? '' : 's'} ${removed.map((k) => k.id).join(', ')}`
      : `; it had no API key (none named ${target.clientName} for the REST API ${api.id})`;
  await write(io.stdout, `${revoked}${keyPart}; ${tokens}\n`);
}

/** Deletes the broker's API keys with this name; returns those it found. */
async function deleteKeysNamed(keys: BrokerApiKeys, keyName: string): Promise<ApiKeyInfo[]> {
  const found = (await keys.index(keyName)).named(keyName);
  for (const k of found) await keys.deleteKey(k.id);
  return found;
}

/**
 * Revoke when no app client carries the name: API keys left without their client (an orphan that
 * `audit` reports) are deleted, under the onboarded name or, failing that, the exact name given
 * when it is named like a client (`product.`, `partner.`, `onboarded.`).
 */
async function revokeOrphanKeys(
  pool: BrokerPool,
  keys: BrokerApiKeys,
  io: CliIo,
  name: string,
  target: Target,
  apiId: string,
): Promise<void> {
  const prefixes = clientNamePrefixes(pool.manifest);
  const names = [target.clientName, name].filter((n) => prefixes.some((p) => n.startsWith(p)));
  for (const keyName of new Set(names)) {
    const removed = await deleteKeysNamed(keys, keyName);
    if (removed.length > 0) {
      await write(
        io.stdout,
        `no app client named ${keyName}; deleted its orphan API key${removed.length === 1 ? '' : 's'} ${removed.map((k) => k.id).join(', ')}\n`,
      );
      return;
    }
  }
  throw new CliError(
    `no app client or API key named ${target.clientName} (user pool ${pool.ref.id}, REST API ${apiId}): nothing to revoke (see office-zones consumers list)`,
  );
}
