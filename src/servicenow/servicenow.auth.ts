import { ServiceNowError } from "./servicenow.errors";

export type AuthKind = "basic" | "oauth-password" | "oauth-authorization-code";

/**
 * Supplies the Authorization header for every request. Providers hold credentials in private
 * fields, so logging or serialising a provider shows none of them.
 */
export interface AuthProvider {
  readonly kind: AuthKind;
  /** The `Authorization` header value for the next request (may refresh a token first). */
  authorize(): Promise<string>;
  /**
   * Called once when a request got a 401 with `rejectedAuthorization`. Resolves true when a new
   * credential is ready and the request should be retried once; rejects (AUTH_FAILED) when it
   * cannot be renewed.
   */
  onUnauthorized?(rejectedAuthorization: string): Promise<boolean>;
}

/** Username and password on every request (`Authorization: Basic …`). */
export class BasicAuthProvider implements AuthProvider {
  readonly kind = "basic";
  readonly #header: string;

  constructor(username: string, password: string) {
    if (username === "" || username.includes(":")) {
      throw new ServiceNowError({
        code: "BAD_REQUEST",
        retryable: false,
        message: "A basic-auth username must be non-empty and cannot contain a colon",
      });
    }
    this.#header = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  }

  authorize(): Promise<string> {
    return Promise.resolve(this.#header);
  }
}

/**
 * Everything derived from an Authorization header that must never show up in an error: the
 * header, its credential and, for Basic, the decoded password.
 */
export function secretsOfAuthorization(header: string): string[] {
  const space = header.indexOf(" ");
  const credential = space === -1 ? header : header.slice(space + 1);
  const secrets = [header, credential];
  if (header.startsWith("Basic ")) {
    const decoded = Buffer.from(credential, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    secrets.push(decoded, colon === -1 ? decoded : decoded.slice(colon + 1));
  }
  return secrets;
}
