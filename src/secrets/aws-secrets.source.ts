import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export interface ServiceNowCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

export class AwsSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwsSecretError";
  }
}

const KEY_ALIASES: Record<string, keyof ServiceNowCredentials> = {
  username: "username",
  user_name: "username",
  password: "password",
  client_id: "clientId",
  clientId: "clientId",
  client_secret: "clientSecret",
  clientSecret: "clientSecret",
};

/**
 * Reads ServiceNow credentials kept as key/value pairs in AWS Secrets Manager (`username` /
 * `password` or `client_id` / `client_secret`), caching each secret briefly so a sync does not
 * call AWS per request. The SDK client uses the default credential chain.
 */
export class AwsSecretsSource {
  private readonly cache = new Map<string, { value: ServiceNowCredentials; expiresAt: number }>();
  private client: Pick<SecretsManagerClient, "send"> | null;

  /**
   * `client` null: the SDK is loaded, and a client with the default credential chain created,
   * on first use only, so gateways without AWS-held secrets never pay for it at start-up.
   */
  constructor(
    client: Pick<SecretsManagerClient, "send"> | null,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.client = client;
  }

  private async secretString(secretId: string): Promise<string | undefined> {
    const sdk = await import("@aws-sdk/client-secrets-manager");
    this.client ??= new sdk.SecretsManagerClient({});
    const output = await this.client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
    return output.SecretString;
  }

  async credentials(secretId: string): Promise<ServiceNowCredentials> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expiresAt > this.now()) {
      return cached.value;
    }
    let secretString: string | undefined;
    try {
      secretString = await this.secretString(secretId);
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      // The SDK's own message names the secret and the reason; it carries no secret value.
      const reason = error instanceof Error ? error.message : String(error);
      throw new AwsSecretError(
        `AWS Secrets Manager refused to read the secret (${name}): ${reason}`,
      );
    }
    if (!secretString) {
      throw new AwsSecretError(
        "The AWS secret has no SecretString (binary secrets are not supported)",
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretString);
    } catch {
      throw new AwsSecretError(
        "The AWS secret is not a JSON object of key/value pairs (username/password or client_id/client_secret)",
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new AwsSecretError("The AWS secret must be a JSON object of key/value pairs");
    }
    const value: Record<string, string> = {};
    for (const [key, raw] of Object.entries(parsed)) {
      const target = KEY_ALIASES[key];
      if (target && typeof raw === "string" && raw !== "") {
        value[target] = raw;
      }
    }
    this.cache.set(secretId, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  forget(secretId: string): void {
    this.cache.delete(secretId);
  }
}
