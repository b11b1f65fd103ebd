import type { Logger } from "../../logging/logger";
import type { AwsSecretsSource, ServiceNowCredentials } from "../../secrets/aws-secrets.source";
import {
  type AuthProvider,
  BasicAuthProvider,
  OAuthAuthorizationCodeProvider,
  OAuthPasswordGrantProvider,
  type OAuthTokens,
  type RetryOptions,
  ServiceNowClient,
} from "../../servicenow";
import type { Integration } from "./integration.entity";
import { AuthMethod } from "./integration.enums";
import type { IntegrationService } from "./integration.service";

export class CredentialsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsUnavailableError";
  }
}

export interface ConnectionSettings {
  readonly timeoutMs: number;
  readonly retry?: Partial<RetryOptions>;
  /** Writes wait out a 429 only up to this (the connector's default otherwise). */
  readonly writeMaxRetryAfterMs?: number;
}

/**
 * Turns a stored integration into a ServiceNow client: resolves its credentials (decrypted
 * columns or an AWS Secrets Manager secret), picks the auth provider, and persists refreshed
 * OAuth tokens encrypted. The connector itself never sees the database.
 */
export class IntegrationConnectionFactory {
  constructor(
    private readonly integrations: IntegrationService,
    private readonly aws: AwsSecretsSource | null,
    private readonly logger: Logger,
  ) {}

  async credentials(integration: Integration): Promise<ServiceNowCredentials> {
    if (integration.awsSecretId) {
      if (!this.aws) {
        throw new CredentialsUnavailableError(
          "AWS Secrets Manager is not available in this gateway",
        );
      }
      const fromAws = await this.aws.credentials(integration.awsSecretId);
      return {
        username: integration.username ?? undefined,
        clientId: integration.clientId ?? undefined,
        ...fromAws,
      };
    }
    return {
      username: integration.username ?? undefined,
      password:
        this.integrations.decryptSecret(integration.id, "password", integration.passwordCipher) ??
        undefined,
      clientId: integration.clientId ?? undefined,
      clientSecret:
        this.integrations.decryptSecret(
          integration.id,
          "clientSecret",
          integration.clientSecretCipher,
        ) ?? undefined,
    };
  }

  storedTokens(integration: Integration): OAuthTokens | null {
    const accessToken = this.integrations.decryptSecret(
      integration.id,
      "accessToken",
      integration.accessTokenCipher,
    );
    const refreshToken = this.integrations.decryptSecret(
      integration.id,
      "refreshToken",
      integration.refreshTokenCipher,
    );
    if (accessToken === null && refreshToken === null) {
      return null;
    }
    return {
      accessToken: accessToken ?? "",
      refreshToken,
      // No access token: treat it as expired so the refresh token is used at once.
      expiresAt:
        accessToken === null ? new Date(0) : (integration.accessTokenExpiresAt ?? new Date(0)),
    };
  }

  async saveTokens(integrationId: string, tokens: OAuthTokens): Promise<void> {
    await this.integrations.storeTokens(integrationId, tokens);
  }

  async authProvider(
    integration: Integration,
    options: { timeoutMs: number },
  ): Promise<AuthProvider> {
    const credentials = await this.credentials(integration);
    if (integration.authMethod === AuthMethod.BASIC) {
      if (!credentials.username || !credentials.password) {
        throw new CredentialsUnavailableError(
          "BASIC authentication needs a username and a password",
        );
      }
      return new BasicAuthProvider(credentials.username, credentials.password);
    }
    if (!credentials.clientId || !credentials.clientSecret) {
      throw new CredentialsUnavailableError("OAUTH needs a client id and a client secret");
    }
    const client = {
      instanceUrl: integration.url,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      timeoutMs: options.timeoutMs,
    };
    if (credentials.username && credentials.password) {
      return new OAuthPasswordGrantProvider({
        ...client,
        username: credentials.username,
        password: credentials.password,
        tokenStore: {
          load: async () => this.storedTokens(integration),
          save: (tokens) => this.saveTokens(integration.id, tokens),
        },
      });
    }
    const tokens = this.storedTokens(integration);
    if (!tokens) {
      throw new CredentialsUnavailableError(
        "The integration is not authorized yet: call authorizeIntegration and allow access in ServiceNow",
      );
    }
    return new OAuthAuthorizationCodeProvider({
      ...client,
      tokens,
      onTokens: (next) => this.saveTokens(integration.id, next),
    });
  }

  async client(integration: Integration, settings: ConnectionSettings): Promise<ServiceNowClient> {
    return new ServiceNowClient({
      instanceUrl: integration.url,
      auth: await this.authProvider(integration, settings),
      logger: this.logger.child({ integrationId: integration.id }),
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
      writeMaxRetryAfterMs: settings.writeMaxRetryAfterMs,
    });
  }
}
