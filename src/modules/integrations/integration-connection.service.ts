import { createHash, randomBytes } from "node:crypto";

import { type DataSource, IsNull, LessThan, type Repository } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import type { Logger } from "../../logging/logger";
import { buildAuthorizeUrl, exchangeAuthorizationCode, isServiceNowError } from "../../servicenow";
import { type ConnectionValidation, Integration } from "./integration.entity";
import { AuthMethod, CheckStatus, IntegrationStatus } from "./integration.enums";
import type { CreateIntegrationInput } from "./integration.inputs";
import type { IntegrationService } from "./integration.service";
import type { IntegrationConnectionFactory } from "./integration-connection.factory";
import { OAuthAuthorization } from "./oauth-authorization.type";
import { OAuthState } from "./oauth-state.entity";
import type { PreflightService } from "./preflight/preflight.service";

const STATE_TTL_MS = 10 * 60 * 1000;
const STATE_HISTORY_MS = 24 * 60 * 60 * 1000;

export class OAuthCallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OAuthCallbackError";
  }
}

const digestOf = (state: string): string =>
  createHash("sha256").update(state, "utf8").digest("hex");

/** Validating a connection and the OAuth authorization-code round trip. */
export class IntegrationConnectionService {
  private readonly states: Repository<OAuthState>;
  private readonly integrationRepository: Repository<Integration>;

  constructor(
    dataSource: DataSource,
    private readonly integrations: IntegrationService,
    private readonly connections: IntegrationConnectionFactory,
    private readonly preflight: PreflightService,
    private readonly settings: { readonly timeoutMs: number },
    private readonly logger: Logger,
  ) {
    this.states = dataSource.getRepository(OAuthState);
    this.integrationRepository = dataSource.getRepository(Integration);
  }

  /** Runs the preflight checks on a saved integration, stores the result, sets the status. */
  async validate(id: string): Promise<ConnectionValidation> {
    const integration = await this.integrations.getOrFail(id);
    const { validation, userTimeZone } = await this.preflight.run(integration, this.settings);
    const failed = validation.checks.find((check) => check.status === CheckStatus.FAIL);
    const status = !integration.enabled
      ? IntegrationStatus.DISABLED
      : validation.ok
        ? IntegrationStatus.CONNECTED
        : this.needsAuthorization(integration, validation)
          ? IntegrationStatus.NEEDS_AUTHORIZATION
          : IntegrationStatus.FAILED;
    await this.integrationRepository.update(
      { id },
      {
        lastValidation: validation,
        status,
        statusReason: !integration.enabled
          ? "Disabled by an admin."
          : validation.ok
            ? "All preflight checks passed."
            : `${failed?.name}: ${failed?.message}`,
        ...(userTimeZone !== undefined ? { userTimeZone } : {}),
      },
    );
    return validation;
  }

  /** The same checks on unsaved input; nothing is stored. */
  async test(input: CreateIntegrationInput): Promise<ConnectionValidation> {
    const integration = this.integrations.build(input);
    if (integration.authMethod === AuthMethod.OAUTH && !integration.username) {
      const { validation } = await this.preflight.run(integration, this.settings);
      // Without a saved integration there is no authorization yet: say so instead of failing.
      for (const check of validation.checks) {
        if (check.name === "authentication" && check.status === CheckStatus.FAIL) {
          check.status = CheckStatus.WARN;
          check.message =
            "Not checked: the authorization-code flow needs the integration saved and authorized (createIntegration, then authorizeIntegration).";
        } else if (check.message.startsWith("Not run: authentication failed")) {
          check.status = CheckStatus.WARN;
          check.message = "Not checked before authorization.";
        }
      }
      validation.ok = validation.checks.every((check) => check.status !== CheckStatus.FAIL);
      return validation;
    }
    return (await this.preflight.run(integration, this.settings)).validation;
  }

  /** ServiceNow's authorize URL with a single-use `state` that expires in 10 minutes. */
  async authorize(id: string): Promise<OAuthAuthorization> {
    const integration = await this.integrations.getOrFail(id);
    if (integration.authMethod !== AuthMethod.OAUTH) {
      throw GatewayError.badInput(
        "id",
        "Only OAUTH integrations are authorized; this one uses BASIC",
      );
    }
    const credentials = await this.connections.credentials(integration);
    if (!credentials.clientId) {
      throw GatewayError.badInput("id", "The integration has no OAuth client id");
    }
    // Keep a day of history (so a replay says "already used"), not forever.
    await this.states.delete({ expiresAt: LessThan(new Date(Date.now() - STATE_HISTORY_MS)) });
    const state = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + STATE_TTL_MS);
    await this.states.insert({
      stateDigest: digestOf(state),
      integrationId: integration.id,
      expiresAt,
      usedAt: null,
      createdAt: new Date(),
    });
    const authorizationUrl = buildAuthorizeUrl({
      instanceUrl: integration.url,
      clientId: credentials.clientId,
      redirectUri: this.integrations.oauthRedirectUrl(),
      state,
    });
    return Object.assign(new OAuthAuthorization(), { authorizationUrl, state, expiresAt });
  }

  /**
   * The callback: consumes the state (once), exchanges the code, stores the tokens encrypted and
   * validates the connection. A bad, expired or replayed state changes nothing.
   */
  async completeAuthorization(state: string, code: string): Promise<Integration> {
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(state)) {
      throw new OAuthCallbackError("The state parameter is missing or malformed.");
    }
    if (code.length === 0 || code.length > 4096) {
      throw new OAuthCallbackError("The code parameter is missing or malformed.");
    }
    const stateDigest = digestOf(state);
    const pending = await this.states.findOneBy({ stateDigest });
    if (!pending) {
      throw new OAuthCallbackError(
        "Unknown authorization state: start again with authorizeIntegration.",
      );
    }
    if (pending.usedAt !== null) {
      throw new OAuthCallbackError(
        "This authorization link was already used: start again with authorizeIntegration.",
      );
    }
    if (pending.expiresAt.getTime() < Date.now()) {
      throw new OAuthCallbackError(
        "This authorization link expired: start again with authorizeIntegration.",
      );
    }
    // Consume first, atomically: of two concurrent callbacks with one state, only one proceeds.
    const consumed = await this.states.update(
      { stateDigest, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    if (consumed.affected !== 1) {
      throw new OAuthCallbackError(
        "This authorization link was already used: start again with authorizeIntegration.",
      );
    }
    const integration = await this.integrations.get(pending.integrationId);
    if (!integration) {
      throw new OAuthCallbackError("The integration was deleted after the authorization started.");
    }
    const credentials = await this.connections.credentials(integration);
    if (!credentials.clientId || !credentials.clientSecret) {
      throw new OAuthCallbackError("The integration has no OAuth client id and secret.");
    }
    try {
      const tokens = await exchangeAuthorizationCode({
        instanceUrl: integration.url,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        code,
        redirectUri: this.integrations.oauthRedirectUrl(),
        timeoutMs: this.settings.timeoutMs,
      });
      await this.integrations.storeTokens(integration.id, tokens);
    } catch (error) {
      const reason = isServiceNowError(error) ? error.message : "the token exchange failed";
      this.logger.warn({ integrationId: integration.id, err: error }, "OAuth code exchange failed");
      throw new OAuthCallbackError(`ServiceNow did not accept the authorization: ${reason}`);
    }
    await this.integrationRepository.update(
      { id: integration.id },
      { status: IntegrationStatus.PENDING, statusReason: "Authorized; validating the connection." },
    );
    await this.validate(integration.id);
    return this.integrations.getOrFail(integration.id);
  }

  private needsAuthorization(integration: Integration, validation: ConnectionValidation): boolean {
    if (integration.authMethod !== AuthMethod.OAUTH || integration.username) {
      return false;
    }
    const authentication = validation.checks.find((check) => check.name === "authentication");
    return authentication?.status === CheckStatus.FAIL && /authoriz/i.test(authentication.message);
  }
}
