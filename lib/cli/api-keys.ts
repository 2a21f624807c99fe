import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { randomInt } from 'node:crypto';
import { AwsCallError, type Aws } from './aws';
import { type DeployedRef, resolveDeployed } from './deployed';
import { CliError } from './errors';
import type { CliManifest } from './manifest';

/** The length of the API keys the CLI generates, as the broker stack generates its consumers'. */
export const API_KEY_LENGTH = 40;
const API_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new API key value: 40 letters and digits from a cryptographic source, without bias. */
export function generateApiKeyValue(): string {
  let value = '';
  for (let i = 0; i < API_KEY_LENGTH; i++) {
    value += API_KEY_ALPHABET[randomInt(API_KEY_ALPHABET.length)];
  }
  return value;
}

/** The name prefixes of app clients the broker names, and so of their API keys. */
export function clientNamePrefixes(manifest: CliManifest): string[] {
  return ['product.', 'partner.', manifest.onboardedClientPrefix];
}

/**
 * Where an API key stands for this broker. API keys belong to the account and region, not to an
 * API, and two brokers (say dev and prod) in one account both have a key named `product.web-shop`:
 * a key is the broker's when it is in a usage plan of the broker's REST API, or in no usage plan
 * at all (left over); a key only in other APIs' plans belongs to another broker and is left alone.
 */
export type KeyPlacement = 'api' | 'unattached' | 'other-api';

/** An API key as the CLI sees it. It never holds the key's value. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly placement: KeyPlacement;
  /** The usage plans of the broker's API it is in. */
  readonly plans: readonly string[];
}

/**
 * Whether a client's calls get past API Gateway's key check: `active` (an enabled key in a usage
 * plan of the API), `disabled`, `unattached` (a key, but in no usage plan), or `missing`.
 */
export type KeyStatus = 'active' | 'disabled' | 'unattached' | 'missing';

export interface UsagePlanInfo {
  readonly id: string;
  readonly name: string;
}

/** The API keys and usage plans of the broker's REST API at one moment. */
export class KeyIndex {
  constructor(
    readonly apiId: string,
    /** The usage plans that serve the API. */
    readonly plans: readonly UsagePlanInfo[],
    /** Every API key listed, each with its placement. */
    readonly keys: readonly ApiKeyInfo[],
  ) {}

  /** The broker's keys with exactly this name (not those of another broker's API). */
  named(name: string): ApiKeyInfo[] {
    return this.keys.filter((k) => k.name === name && k.placement !== 'other-api');
  }

  /** What API Gateway makes of the calls of the client with this name. */
  status(name: string): { status: KeyStatus; keys: ApiKeyInfo[] } {
    const keys = this.named(name);
    const inPlan = keys.filter((k) => k.placement === 'api');
    if (inPlan.some((k) => k.enabled)) {
      return { status: 'active', keys: inPlan.filter((k) => k.enabled) };
    }
    if (inPlan.length > 0) return { status: 'disabled', keys: inPlan };
    if (keys.length > 0) return { status: 'unattached', keys };
    return { status: 'missing', keys: [] };
  }

  /** The broker's keys in its usage plans. */
  get inPlans(): ApiKeyInfo[] {
    return this.keys.filter((k) => k.placement === 'api');
  }
}

/** The page size of API Gateway's list calls; its maximum. */
const PAGE_SIZE = 500;

/** Options that point at the broker's API and the onboarded partners' usage plan. */
export interface ApiFlags {
  readonly apiId?: string;
  readonly usagePlanId?: string;
}

/**
 * The broker's API keys through the API Gateway API. The REST API id and the usage plan are
 * resolved when first needed (flag, manifest, SSM), so commands that do not use them (rotate)
 * neither need them nor the permissions to read them. Every list call is paginated.
 */
export class BrokerApiKeys {
  private apiRef: Promise<DeployedRef> | undefined;
  private planRef: Promise<DeployedRef> | undefined;

  constructor(
    private readonly aws: Aws,
    private readonly manifest: CliManifest,
    private readonly manifestSource: string,
    private readonly flags: ApiFlags,
  ) {}

  /** The broker's REST API id: `--api-id`, the manifest's `api.id`, or `api.idParameter` in SSM. */
  api(): Promise<DeployedRef> {
    this.apiRef ??= resolveDeployed(
      {
        what: 'REST API id',
        flag: '--api-id',
        given: this.flags.apiId,
        inManifest: this.manifest.api?.id,
        parameter: this.manifest.api?.idParameter,
      },
      this.manifest,
      this.manifestSource,
      this.aws,
    );
    return this.apiRef;
  }

  /** The usage plan onboarded partners join: `--usage-plan-id`, the manifest, or SSM. */
  onboardedPlan(): Promise<DeployedRef> {
    this.planRef ??= resolveDeployed(
      {
        what: 'usage plan for onboarded partners',
        flag: '--usage-plan-id',
        given: this.flags.usagePlanId,
        inManifest: this.manifest.api?.onboardedUsagePlanId,
        parameter: this.manifest.api?.onboardedUsagePlanIdParameter,
      },
      this.manifest,
      this.manifestSource,
      this.aws,
    );
    return this.planRef;
  }

  /**
   * The API keys (all, or those named `name`) with where each stands, and the usage plans of the
   * API. Fails when no usage plan serves the API: a wrong id would otherwise report every client
   * as lacking its key.
   */
  async index(name?: string): Promise<KeyIndex> {
    const api = await this.api();
    const allPlans = await this.pages('GetUsagePlans', (position) =>
      this.aws.apigateway.send(
        new GetUsagePlansCommand({ limit: PAGE_SIZE, ...(position ? { position } : {}) }),
      ),
    );
    const plans = allPlans.filter((p) => (p.apiStages ?? []).some((s) => s.apiId === api.id));
    if (plans.length === 0) {
      throw new CliError(
        `no usage plan serves the REST API ${api.id} (from ${api.source}) in this account and region: check --api-id, --region and --profile`,
      );
    }
    const ours = new Set(plans.map((p) => p.id));
    // Which plans each key is in, over every plan of the account: a key in no plan at all is a
    // leftover of this broker, one in other APIs' plans only is another broker's.
    const plansOfKey = new Map<string, string[]>();
    for (const plan of allPlans) {
      if (!plan.id) continue;
      const planId = plan.id;
      const keys = await this.pages('GetUsagePlanKeys', (position) =>
        this.aws.apigateway.send(
          new GetUsagePlanKeysCommand({
            usagePlanId: planId,
            limit: PAGE_SIZE,
            ...(name ? { nameQuery: name } : {}),
            ...(position ? { position } : {}),
          }),
        ),
      );
      for (const k of keys) {
        if (k.id) plansOfKey.set(k.id, [...(plansOfKey.get(k.id) ?? []), planId]);
      }
    }
    // The name query is not documented as an exact match: keep only the exact name.
    const keys = (
      await this.pages('GetApiKeys', (position) =>
        this.aws.apigateway.send(
          new GetApiKeysCommand({
            limit: PAGE_SIZE,
            includeValues: false,
            ...(name ? { nameQuery: name } : {}),
            ...(position ? { position } : {}),
          }),
        ),
      )
    ).filter((k) => k.id && (name === undefined || k.name === name));
    return new KeyIndex(
      api.id,
      plans.map((p) => ({ id: p.id!, name: p.name ?? '' })),
      keys
        .map((k) => {
          const inPlans = plansOfKey.get(k.id!) ?? [];
          const mine = inPlans.filter((p) => ours.has(p));
          const placement: KeyPlacement =
            mine.length > 0 ? 'api' : inPlans.length > 0 ? 'other-api' : 'unattached';
          return {
            id: k.id!,
            name: k.name ?? '',
            enabled: k.enabled === true,
            placement,
            plans: mine,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    );
  }

  /** Every item of a paginated API Gateway list, page by page (`position`). */
  private async pages<T>(
    operation: string,
    send: (position: string | undefined) => Promise<{ items?: T[]; position?: string }>,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let position: string | undefined;
    do {
      const at = position;
      const page = await this.aws.call('apigateway', operation, true, () => send(at));
      items.push(...(page.items ?? []));
      position = page.position || undefined;
      if (position && seen.has(position)) {
        throw new CliError(`${operation} returned the page position ${position} twice`);
      }
      if (position) seen.add(position);
    } while (position);
    return items;
  }

  /**
   * Creates an enabled API key with a generated value. Not retried after a lost connection (it
   * may have been created); the caller cleans up by name.
   */
  async createKey(name: string): Promise<{ id: string; value: string }> {
    const value = generateApiKeyValue();
    const out = await this.aws.call('apigateway', 'CreateApiKey', false, () =>
      this.aws.apigateway.send(
        new CreateApiKeyCommand({
          name,
          description: `${name}: onboarded at run time by office-zones; identifies the consumer for its usage plan (authorisation is the OAuth token)`,
          enabled: true,
          value,
        }),
      ),
    );
    if (!out.id) {
      throw new CliError(`CreateApiKey answered without an id for ${name}`);
    }
    return { id: out.id, value };
  }

  /** Adds an API key to a usage plan. Not retried after a lost connection; the caller undoes. */
  async attach(usagePlanId: string, keyId: string): Promise<void> {
    await this.aws.call('apigateway', 'CreateUsagePlanKey', false, () =>
      this.aws.apigateway.send(
        new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }),
      ),
    );
  }

  /** Deletes an API key (API Gateway also takes it out of its usage plans); true when it was there. */
  async deleteKey(id: string): Promise<boolean> {
    try {
      await this.aws.call('apigateway', 'DeleteApiKey', true, () =>
        this.aws.apigateway.send(new DeleteApiKeyCommand({ apiKey: id })),
      );
      return true;
    } catch (e) {
      if (e instanceof AwsCallError && e.errorName === 'NotFoundException') return false;
      throw e;
    }
  }
}
