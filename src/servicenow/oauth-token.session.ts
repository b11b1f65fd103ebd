import type { OAuthTokens } from "./oauth-token.client";

export interface OAuthTokenSessionOptions {
  /** Tokens already known; when absent, `load` is asked once. */
  readonly initial?: OAuthTokens | null;
  readonly load?: () => Promise<OAuthTokens | null>;
  /** Gets fresh tokens (a refresh or a new grant) given the current ones. */
  readonly obtain: (current: OAuthTokens | null) => Promise<OAuthTokens>;
  /** Called after every successful `obtain`, before any request uses the new token. */
  readonly onTokens?: (tokens: OAuthTokens) => Promise<void>;
  readonly now?: () => number;
  /** Refresh this long before expiry so a token never dies in flight (default 60 s). */
  readonly refreshSkewMs?: number;
}

/**
 * Holds one OAuth token set and renews it: before expiry, and once when the API answers 401.
 * Renewal is single-flight: concurrent requests that need a new token share one token request.
 */
export class OAuthTokenSession {
  readonly #obtain: (current: OAuthTokens | null) => Promise<OAuthTokens>;
  readonly #load: (() => Promise<OAuthTokens | null>) | undefined;
  readonly #onTokens: ((tokens: OAuthTokens) => Promise<void>) | undefined;
  readonly #now: () => number;
  readonly #skewMs: number;
  #tokens: OAuthTokens | null | undefined;
  #loading: Promise<OAuthTokens | null> | undefined;
  #renewing: Promise<OAuthTokens> | undefined;

  constructor(options: OAuthTokenSessionOptions) {
    this.#obtain = options.obtain;
    this.#load = options.load;
    this.#onTokens = options.onTokens;
    this.#now = options.now ?? Date.now;
    this.#skewMs = options.refreshSkewMs ?? 60_000;
    this.#tokens = options.initial ?? (options.load === undefined ? null : undefined);
  }

  async authorize(): Promise<string> {
    let tokens = await this.#current();
    if (tokens === null || tokens.expiresAt.getTime() - this.#skewMs <= this.#now()) {
      tokens = await this.#renew();
    }
    return bearer(tokens);
  }

  async onUnauthorized(rejectedAuthorization: string): Promise<boolean> {
    if (this.#renewing !== undefined) {
      await this.#renewing;
      return true;
    }
    const tokens = await this.#current();
    // Another request already renewed the token this one was sent with.
    if (tokens !== null && bearer(tokens) !== rejectedAuthorization) {
      return true;
    }
    await this.#renew();
    return true;
  }

  async #current(): Promise<OAuthTokens | null> {
    if (this.#tokens !== undefined) {
      return this.#tokens;
    }
    this.#loading ??= (this.#load?.() ?? Promise.resolve(null)).finally(() => {
      this.#loading = undefined;
    });
    const loaded = await this.#loading;
    // A renewal may have finished while we were loading; it wins.
    this.#tokens ??= loaded;
    return this.#tokens;
  }

  #renew(): Promise<OAuthTokens> {
    this.#renewing ??= (async () => {
      const next = await this.#obtain(this.#tokens ?? null);
      this.#tokens = next;
      await this.#onTokens?.(next);
      return next;
    })().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }
}

function bearer(tokens: OAuthTokens): string {
  return `Bearer ${tokens.accessToken}`;
}
