import {
  type OAuthClientConfig,
  type OAuthTokens,
  refreshAccessToken,
  type TokenHttpOptions,
} from "./oauth-token.client";
import { OAuthTokenSession } from "./oauth-token.session";
import type { AuthProvider } from "./servicenow.auth";
import { ServiceNowError } from "./servicenow.errors";

export interface OAuthAuthorizationCodeProviderOptions extends OAuthClientConfig, TokenHttpOptions {
  /** The tokens from `exchangeAuthorizationCode` or from the last `onTokens`. */
  readonly tokens: OAuthTokens;
  /** Persist the new tokens (encrypted): called after each refresh. */
  readonly onTokens: (tokens: OAuthTokens) => Promise<void>;
  readonly refreshSkewMs?: number;
}

/**
 * Bearer tokens from the authorization-code flow, refreshed ~60 s before expiry and once on 401.
 * When ServiceNow refuses the refresh token the error is AUTH_FAILED with `needsReauthorization`,
 * so the caller can ask a person to authorize the integration again.
 */
export class OAuthAuthorizationCodeProvider implements AuthProvider {
  readonly kind = "oauth-authorization-code";
  readonly #session: OAuthTokenSession;

  constructor(options: OAuthAuthorizationCodeProviderOptions) {
    const { tokens, onTokens, refreshSkewMs, ...http } = options;
    this.#session = new OAuthTokenSession({
      initial: tokens,
      onTokens,
      now: options.now,
      refreshSkewMs,
      obtain: async (current) => {
        const refreshToken = current?.refreshToken;
        if (refreshToken === undefined || refreshToken === null) {
          throw new ServiceNowError({
            code: "AUTH_FAILED",
            retryable: false,
            needsReauthorization: true,
            message:
              "The OAuth access token expired and there is no refresh token: authorize the integration again",
          });
        }
        const next = await refreshAccessToken({ ...http, refreshToken });
        // ServiceNow may omit the refresh token on refresh; the old one stays valid then.
        return next.refreshToken === null ? { ...next, refreshToken } : next;
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
