import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsCallError, describeFailure } from './aws';
import { CliError } from './errors';
import type { DeclaredConsumer } from './manifest';
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
}

// ---------------------------------------------------------------------------------------------
// consumers list

export async function listConsumers(pool: BrokerPool, io: CliIo, json: boolean): Promise<void> {
  const clients = await pool.listClients();
  if (json) {
    const data = clients.map((c) => ({
      clientName: c.clientName,
      clientId: c.clientId,
      origin: c.origin,
      oauthFlows: c.oauthFlows,
      authFlows: c.authFlows,
      scopes: c.scopes,
      createdAt: c.createdAt?.toISOString() ?? null,
    }));
    await write(
      io.stdout,
      JSON.stringify({ userPoolId: pool.ref.id, clients: data }, null, 2) + '\n',
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
      ['CLIENT NAME', 'ORIGIN', 'CLIENT ID', 'FLOWS', 'SCOPES'],
      clients.map((c) => [
        c.clientName,
        c.origin,
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

function declaredNamed(pool: BrokerPool, name: string): DeclaredConsumer | undefined {
  return pool.manifest.consumers.find((c) => c.clientName === name || c.name === name);
}

/** Checks a name and scopes against the rules and the manifest; every problem in one message. */
function checkOnboarding(pool: BrokerPool, name: string, scopes: readonly string[]): string[] {
  const problems: string[] = [];
  if (!NAME.test(name)) problems.push(`name ${JSON.stringify(name)} ${NAME_RULE}`);
  const offered = pool.manifest.scopes.map((s) => s.scope);
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
  const declared = declaredNamed(pool, name);
  if (declared) {
    problems.push(
      `${name} is declared in the blueprint as ${declared.clientName}; its app client comes from the broker stack`,
    );
  }
  return problems;
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
      `scopes:        ${creds.scopes.join(' ')}`,
      ...(creds.tokenUrl ? [`token_url:     ${creds.tokenUrl}`] : []),
      'The secret is shown this once. Hand it to the consumer over a secure channel.',
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
 * Deletes every app client with this name after a failed onboarding; says what is left.
 */
async function cleanUp(pool: BrokerPool, clientName: string, consumer: string): Promise<string> {
  try {
    const made = await pool.clientsNamed(clientName);
    for (const c of made) await pool.deleteClient(c.clientId);
    return made.length === 0
      ? 'no app client was left behind'
      : `deleted the app client it had created (${made.map((c) => c.clientId).join(', ')})`;
  } catch {
    return `the app client ${clientName} may exist: run office-zones consumers revoke ${consumer} once the endpoint answers`;
  }
}

export async function onboardConsumer(
  pool: BrokerPool,
  io: CliIo,
  name: string,
  options: OnboardOptions,
): Promise<void> {
  const problems = checkOnboarding(pool, name, options.scopes);
  if (problems.length > 0) {
    throw new CliError(`cannot onboard ${JSON.stringify(name)}: ${problems.join('; ')}`);
  }
  const file = checkOut(io, options.out);
  const clientName = `${pool.manifest.onboardedClientPrefix}${name}`;
  const existing = await pool.clientsNamed(clientName);
  if (existing.length > 0) {
    throw new CliError(
      `${name} is already onboarded (app client ${clientName}, ${existing.map((c) => c.clientId).join(', ')}): rotate or revoke it instead`,
    );
  }

  let made: { clientId: string; clientSecret: string };
  try {
    made = await pool.createMachineClient(clientName, options.scopes);
  } catch (e) {
    // A lost answer may hide a client that was created: look for it by name and remove it.
    throw new CliError(
      `onboarding ${name} failed: ${reason(e)}; ${await cleanUp(pool, clientName, name)}`,
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
  };
  try {
    await deliver(io, file, creds, `onboarded ${name} as app client ${clientName}`);
  } catch (e) {
    throw new CliError(
      `could not deliver the credentials of ${name} (${reason(e)}); ${await cleanUp(pool, clientName, name)}`,
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
  const declared = declaredNamed(pool, name);
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
  const declared = declaredNamed(pool, name);
  if (declared?.kind === 'product') {
    throw new CliError(
      `${declared.clientName} is a product the blueprint declares: the broker stack delivers its credentials to the product's runtime, so a secret rotated here would not reach it; rotate it through the broker stack`,
    );
  }
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
      `this endpoint has no secret-rotation API, and ${target.clientName} is declared in the blueprint: its app client belongs to the broker stack, so a successor client would live outside it; rotate it by replacing the client in the broker stack`,
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
        `${target.clientName} is declared in the blueprint and has ${target.clients.length} app clients: remove the extra ones in the broker stack, not here`,
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
  io: CliIo,
  name: string,
  options: RevokeOptions,
): Promise<void> {
  const declared = declaredNamed(pool, name);
  if (declared) {
    throw new CliError(
      `${declared.clientName} is declared in the blueprint (${declared.kind} ${declared.name}): revoking it is a change to the blueprint; remove it there and deploy the broker stack ${pool.manifest.brokerStack}`,
    );
  }
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
  if (clients.length === 0) throw noSuchClient(pool, target);
  const deleted: string[] = [];
  for (const c of clients) {
    if (await pool.deleteClient(c.clientId)) deleted.push(c.clientId);
  }
  await write(
    io.stdout,
    `revoked ${target.clientName}: deleted app client${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}; it can get no new tokens, and tokens already issued expire within its access-token validity\n`,
  );
}
