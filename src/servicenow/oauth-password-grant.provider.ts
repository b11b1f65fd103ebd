import {
  type OAuthClientConfig,
  type OAuthTokens,
  refreshAccessToken,
  requestPasswordGrant,
  type TokenHttpOptions,
} from "./oauth-token.client";
import { OAuthTokenSession } from "./oauth-token.session";
import type { AuthProvider } from "./servicenow.auth";
import { isServiceNowError } from "./servicenow.errors";

/** Where the caller keeps tokens between runs (encrypted), so each run need not grant anew. */
export interface OAuthTokenStore {
  load(): Promise<OAuthTokens | null>;
  save(tokens: OAuthTokens): Promise<void>;
}

export interface OAuthPasswordGrantProviderOptions extends OAuthClientConfig, TokenHttpOptions {
  readonly username: string;
  readonly password: string;
  readonly tokenStore?: OAuthTokenStore;
  readonly refreshSkewMs?: number;
}

/**
 * Bearer tokens from the resource-owner password grant. Renewal uses the refresh token when there
 * is one and falls back to a new password grant when ServiceNow refuses it.
 */
export class OAuthPasswordGrantProvider implements AuthProvider {
  readonly kind = "oauth-password";
  readonly #session: OAuthTokenSession;

  constructor(options: OAuthPasswordGrantProviderOptions) {
    const { username, password, tokenStore, refreshSkewMs, ...http } = options;
    this.#session = new OAuthTokenSession({
      load: tokenStore === undefined ? undefined : () => tokenStore.load(),
      onTokens: tokenStore === undefined ? undefined : (tokens) => tokenStore.save(tokens),
      now: options.now,
      refreshSkewMs,
      obtain: async (current) => {
        const refreshToken = current?.refreshToken;
        if (refreshToken !== undefined && refreshToken !== null) {
          try {
            const next = await refreshAccessToken({ ...http, refreshToken });
            return next.refreshToken === null ? { ...next, refreshToken } : next;
          } catch (error) {
            if (!isServiceNowError(error) || error.code !== "AUTH_FAILED") {
              throw error;
            }
          }
        }
        return requestPasswordGrant({ ...http, username, password });
      },
    });
  }

  authorize(): Promise<string> {
    return this.#session.authorize();
  }

  onUnauthorized(rejectedAuthorization: string): Promise<boolean> {
    return this.#session.onUnauthorized(rejectedAuthorization);
  }
}
