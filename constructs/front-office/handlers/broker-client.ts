import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A client of the broker for one front-office product: it reads the product's credentials from
 * Secrets Manager (`{"clientId", "clientSecret", "apiKey"}`), gets a client-credentials token from
 * the broker's token endpoint, keeps it until shortly before it expires, and calls the broker's API
 * with it and the API key (which ties the product to its usage plan).
 *
 * Runs inside the product's Lambda function (bundled by esbuild; the AWS SDK comes from the
 * runtime). Never logs or returns the secret or a token.
 */
export interface BrokerClientOptions {
  /** The broker API's stage URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/v1/`. */
  readonly apiUrl: string;
  /** The OAuth token endpoint, e.g. `https://shop.auth.eu-west-1.amazoncognito.com/oauth2/token`. */
  readonly tokenUrl: string;
  /** ARN of the secret holding `{"clientId": "...", "clientSecret": "...", "apiKey": "..."}`. */
  readonly secretArn: string;
  /**
   * Scopes to ask for, e.g. `['orders/write']`.
   * @default - every scope the app client is allowed
   */
  readonly scopes?: readonly string[];
  /**
   * How long one HTTP call (token or API) may take, in milliseconds.
   * @default 3000
   */
  readonly timeoutMs?: number;
  /**
   * A token is renewed this many seconds before it expires.
   * @default 60
   */
  readonly renewBeforeExpirySeconds?: number;
  /** @default - a client for the function's region */
  readonly secretsManager?: SecretsManagerClient;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

/** An answer of the broker, or a failure to get one, as the product's API should pass it on. */
export class BrokerError extends Error {
  constructor(
    /** The HTTP status for the product's caller. */
    readonly status: number,
    message: string,
    /** The broker's request id, when the broker answered. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

/** A successful answer of the broker. */
export interface BrokerResponse {
  readonly status: number;
  readonly body: unknown;
}

/** An order as the broker's `POST /orders` takes it (see the blueprint's `orders.submit` body). */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly lines: readonly { sku: string; quantity: number; unitPrice: number }[];
}

interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The API key that ties the product to its usage plan (its throttle) at the broker. */
  readonly apiKey?: string;
}

interface CachedToken {
  readonly value: string;
  /** Milliseconds since the epoch after which the token is not used any more. */
  readonly renewAt: number;
}

export class BrokerClient {
  private readonly options: Required<
    Pick<BrokerClientOptions, 'timeoutMs' | 'renewBeforeExpirySeconds' | 'clock'>
  > &
    BrokerClientOptions;
  private secretsManager?: SecretsManagerClient;
  private credentials?: Promise<Credentials>;
  private token?: CachedToken;
  private tokenRequest?: Promise<CachedToken>;

  constructor(options: BrokerClientOptions) {
    this.options = {
      timeoutMs: 3000,
      renewBeforeExpirySeconds: 60,
      clock: Date.now,
      ...options,
    };
    this.secretsManager = options.secretsManager;
  }

  /** `POST /orders`: hands an order to the back office. The broker answers 202. */
  submitOrder(order: Order): Promise<BrokerResponse> {
    return this.call('POST', '/orders', order);
  }

  /** `GET /catalog/items?category=...`: one category of the catalogue. */
  listCatalogItems(category: string): Promise<BrokerResponse> {
    return this.call('GET', `/catalog/items?category=${encodeURIComponent(category)}`);
  }

  /**
   * Calls the broker with a valid token. A 401 means the cached token went stale on the broker's
   * side (revoked, or the clocks disagree): the client drops it, gets a new one and tries once more.
   * Throws `BrokerError` for anything but a 2xx answer.
   */
  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<BrokerResponse> {
    let answer = await this.send(method, path, body, await this.validToken());
    if (answer.status === 401) {
      this.token = undefined;
      answer = await this.send(method, path, body, await this.validToken());
      if (answer.status === 401) {
        throw new BrokerError(
          502,
          'the broker refused a fresh token of this product',
          answer.requestId,
        );
      }
    }
    if (answer.status >= 200 && answer.status < 300)
      return { status: answer.status, body: answer.body };
    throw this.errorFor(answer);
  }

  private errorFor(answer: Answer): BrokerError {
    const message = answer.message ?? `the broker answered ${answer.status}`;
    if (answer.status === 403) {
      // The product's app client lacks the scope, or its API key is wrong: a deployment fault,
      // not the caller's.
      return new BrokerError(
        502,
        `the broker refused this product's scopes or API key: ${message}`,
        answer.requestId,
      );
    }
    if ([400, 404, 409, 413, 422, 429].includes(answer.status))
      return new BrokerError(answer.status, message, answer.requestId);
    return new BrokerError(
      502,
      `the broker failed (${answer.status}): ${message}`,
      answer.requestId,
    );
  }

  private async send(method: string, path: string, body: unknown, token: string): Promise<Answer> {
    const base = this.options.apiUrl.endsWith('/')
      ? this.options.apiUrl
      : `${this.options.apiUrl}/`;
    const url = new URL(path.replace(/^\//, ''), base);
    const { apiKey } = await this.readCredentials();
    const response = await this.fetch(url, 'the broker', {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = readJson(response);
    const fields = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    return {
      status: response.status,
      body: parsed,
      message: typeof fields.message === 'string' ? fields.message : undefined,
      requestId:
        typeof fields.requestId === 'string'
          ? fields.requestId
          : (response.headers.get('x-amzn-requestid') ?? undefined),
    };
  }

  /** The cached token while it has more than the renewal margin left, else a new one. */
  private async validToken(): Promise<string> {
    if (this.token && this.options.clock() < this.token.renewAt) return this.token.value;
    // One request at a time: concurrent calls share it.
    this.tokenRequest ??= this.requestToken().finally(() => (this.tokenRequest = undefined));
    this.token = await this.tokenRequest;
    return this.token.value;
  }

  private async requestToken(): Promise<CachedToken> {
    let answer = await this.postToken(await this.readCredentials());
    if (answer.status === 400 || answer.status === 401) {
      // invalid_client: the secret may have been rotated since it was read.
      this.credentials = undefined;
      answer = await this.postToken(await this.readCredentials());
    }
    if (answer.status !== 200) {
      throw new BrokerError(
        502,
        answer.status === 400 || answer.status === 401
          ? `the token endpoint refused this product's credentials (${answer.error ?? answer.status})`
          : `the token endpoint failed (${answer.status})`,
      );
    }
    const { access_token: value, expires_in: expiresIn } = answer.body;
    if (typeof value !== 'string' || typeof expiresIn !== 'number') {
      throw new BrokerError(502, 'the token endpoint answered without access_token or expires_in');
    }
    return {
      value,
      renewAt:
        this.options.clock() +
        Math.max(0, expiresIn - this.options.renewBeforeExpirySeconds) * 1000,
    };
  }

  private async postToken(credentials: Credentials) {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scopes?.length) form.set('scope', this.options.scopes.join(' '));
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString('base64');
    const response = await this.fetch(new URL(this.options.tokenUrl), 'the token endpoint', {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    });
    const body = (readJson(response) ?? {}) as Record<string, unknown>;
    return {
      status: response.status,
      body,
      error: typeof body.error === 'string' ? body.error : undefined,
    };
  }

  private readCredentials(): Promise<Credentials> {
    this.credentials ??= this.fetchCredentials().catch((e: unknown) => {
      this.credentials = undefined;
      throw e;
    });
    return this.credentials;
  }

  private async fetchCredentials(): Promise<Credentials> {
    this.secretsManager ??= new SecretsManagerClient({});
    let secret: string | undefined;
    try {
      const out = await this.secretsManager.send(
        new GetSecretValueCommand({ SecretId: this.options.secretArn }),
        { abortSignal: AbortSignal.timeout(this.options.timeoutMs) },
      );
      secret = out.SecretString;
    } catch (e) {
      throw new BrokerError(
        502,
        `cannot read this product's broker credentials: ${(e as Error).name}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(secret ?? '');
    } catch {
      parsed = undefined;
    }
    const { clientId, clientSecret, apiKey } = (parsed ?? {}) as Record<string, unknown>;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      throw new BrokerError(
        502,
        "this product's broker credentials secret does not hold clientId and clientSecret",
      );
    }
    return { clientId, clientSecret, apiKey: typeof apiKey === 'string' ? apiKey : undefined };
  }

  /** One HTTP exchange, body included, within the timeout. */
  private async fetch(url: URL, what: string, init: RequestInit): Promise<HttpAnswer> {
    try {
      const response = await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new BrokerError(504, `${what} did not answer within ${this.options.timeoutMs} ms`);
      }
      throw new BrokerError(502, `${what} cannot be reached (${(e as Error).message})`);
    }
  }
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly message?: string;
  readonly requestId?: string;
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

function readJson(response: HttpAnswer): unknown {
  const text = response.text;
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
