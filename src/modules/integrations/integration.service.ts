import { randomUUID } from "node:crypto";

import {
  type DataSource,
  type EntityManager,
  In,
  QueryFailedError,
  type Repository,
} from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import type { SecretBox } from "../../secrets/secret-box";
import { isJournalField, SERVICENOW_TABLES } from "../../servicenow/servicenow-tables";
import { purgeExcludedFields } from "../../sync/excluded-fields.purge";
import { SyncLease } from "../../sync/sync-lease.entity";
import { SyncRun } from "../../sync/sync-run.entity";
import { SyncState } from "../../sync/sync-state.entity";
import { SYNC_TABLES, syncTableOf } from "../../sync/sync-tables";
import { WriteAllowance } from "../incident-writes/write-allowance.entity";
import { WriteLogEntry } from "../incident-writes/write-log.entity";
import { WebhookDelivery } from "../webhooks/webhook-delivery.entity";
import { WebhookSecret } from "../webhooks/webhook-secret.entity";
import { type ExcludedFields, Integration } from "./integration.entity";
import { AuthMethod, Deployment, IntegrationStatus } from "./integration.enums";
import type { CreateIntegrationInput, UpdateIntegrationInput } from "./integration.inputs";
import {
  validateCredentialShape,
  validateExcludedFields,
  validateName,
  validateTags,
  validateText,
} from "./integration.validation";
import { OAuthState } from "./oauth-state.entity";
import { normalizeInstanceUrl } from "./url-policy";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where each secret column's ciphertext is bound (AES-GCM associated data). */
export type SecretColumn = "password" | "clientSecret" | "accessToken" | "refreshToken";

export const OAUTH_CALLBACK_PATH = "/oauth/servicenow/callback";

/** Tables holding an integration's cached data, removed with it. */
const CACHED_DATA = [
  SyncLease,
  // Every ServiceNow table the sync fills, from its registry (dependents first).
  ...[...SYNC_TABLES].reverse().map((table) => table.entity),
  SyncRun,
  SyncState,
  OAuthState,
  WriteLogEntry,
  WriteAllowance,
  WebhookSecret,
  WebhookDelivery,
];

export class IntegrationService {
  private readonly integrations: Repository<Integration>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publicUrl: string,
    private readonly secrets: SecretBox,
  ) {
    this.integrations = dataSource.getRepository(Integration);
  }

  list(): Promise<Integration[]> {
    return this.integrations.find({ order: { name: "ASC" } });
  }

  get(id: string, field = "id"): Promise<Integration | null> {
    if (!UUID_PATTERN.test(id)) {
      throw GatewayError.badInput(field, `${field} must be an integration id (a UUID)`);
    }
    return this.integrations.findOneBy({ id });
  }

  async getOrFail(id: string, field = "id"): Promise<Integration> {
    const integration = await this.get(id, field);
    if (!integration) {
      throw GatewayError.notFound(`No integration with id ${id}`, field);
    }
    return integration;
  }

  /** The redirect URL to register in ServiceNow's Application Registry. */
  oauthRedirectUrl(): string {
    return `${this.publicUrl}${OAUTH_CALLBACK_PATH}`;
  }

  encryptSecret(integrationId: string, column: SecretColumn, plaintext: string): string {
    return this.secrets.encrypt(plaintext, `${integrationId}:${column}`);
  }

  decryptSecret(
    integrationId: string,
    column: SecretColumn,
    ciphertext: string | null,
  ): string | null {
    return ciphertext === null
      ? null
      : this.secrets.decrypt(ciphertext, `${integrationId}:${column}`);
  }

  /**
   * Re-encrypts secrets written with a previous key (GATEWAY_SECRET_KEYS_PREVIOUS) under the
   * current one, so the old key can be retired. Returns how many integrations changed.
   */
  async reencryptSecrets(): Promise<number> {
    const columns = {
      passwordCipher: "password",
      clientSecretCipher: "clientSecret",
      accessTokenCipher: "accessToken",
      refreshTokenCipher: "refreshToken",
    } as const satisfies Partial<Record<keyof Integration, SecretColumn>>;
    let changed = 0;
    for (const integration of await this.integrations.find()) {
      const updates: Partial<Record<keyof typeof columns, string>> = {};
      for (const [property, column] of Object.entries(columns) as Array<
        [keyof typeof columns, SecretColumn]
      >) {
        const cipher = integration[property];
        if (cipher !== null && this.secrets.needsRotation(cipher)) {
          const plaintext = this.secrets.decrypt(cipher, `${integration.id}:${column}`);
          updates[property] = this.encryptSecret(integration.id, column, plaintext);
        }
      }
      if (Object.keys(updates).length > 0) {
        await this.integrations.update({ id: integration.id }, updates);
        changed += 1;
      }
    }
    return changed;
  }

  /** Builds a validated, unsaved integration from input (also used by testConnection). */
  build(input: CreateIntegrationInput): Integration {
    const integration = this.integrations.create({ id: randomUUID() });
    integration.name = validateName(input.name);
    integration.description = validateText(input.description, "input.description", 2000);
    integration.tags = validateTags(input.tags);
    integration.deployment = input.deployment ?? Deployment.CLOUD;
    integration.authMethod = input.authMethod ?? AuthMethod.BASIC;
    integration.url = normalizeInstanceUrl(input.url, integration.deployment);
    integration.username = validateText(input.username, "input.username", 255);
    integration.clientId = validateText(input.clientId, "input.clientId", 255);
    integration.awsSecretId = validateText(input.awsSecretId, "input.awsSecretId", 2048);
    integration.passwordCipher = input.password
      ? this.encryptSecret(integration.id, "password", input.password)
      : null;
    integration.clientSecretCipher = input.clientSecret
      ? this.encryptSecret(integration.id, "clientSecret", input.clientSecret)
      : null;
    integration.accessTokenCipher = null;
    integration.refreshTokenCipher = null;
    integration.accessTokenExpiresAt = null;
    integration.excludedFields = validateExcludedFields(input.excludedFields);
    integration.ownerEmail = input.ownerEmail ?? null;
    integration.contact = validateText(input.contact, "input.contact", 320);
    integration.expectedTransactionsPerDay = input.expectedTransactionsPerDay ?? null;
    integration.defaultAssignmentGroup = validateText(
      input.defaultAssignmentGroup,
      "input.defaultAssignmentGroup",
      255,
    );
    integration.syncIntervalMinutes = input.syncIntervalMinutes ?? 60;
    integration.enabled = input.enabled ?? true;
    integration.writeEnabled = input.writeEnabled ?? false;
    integration.lastValidation = null;
    integration.userTimeZone = null;
    integration.lastSyncedAt = null;
    validateCredentialShape({
      authMethod: integration.authMethod,
      username: integration.username,
      hasPassword: integration.passwordCipher !== null,
      clientId: integration.clientId,
      hasClientSecret: integration.clientSecretCipher !== null,
      awsSecretId: integration.awsSecretId,
    });
    this.resetStatus(integration, "Created; run validateConnection to check it.");
    return integration;
  }

  async create(input: CreateIntegrationInput): Promise<Integration> {
    const integration = this.build(input);
    await this.assertNameFree(integration.name, null);
    return this.saveUnique(integration);
  }

  async update(id: string, input: UpdateIntegrationInput): Promise<Integration> {
    const integration = await this.getOrFail(id);
    let connectionChanged = false;
    if (input.name !== undefined && input.name !== null) {
      integration.name = validateName(input.name);
      await this.assertNameFree(integration.name, integration.id);
    }
    if (input.description !== undefined) {
      integration.description = validateText(input.description, "input.description", 2000);
    }
    if (input.tags !== undefined) {
      integration.tags = validateTags(input.tags);
    }
    if (input.deployment !== undefined && input.deployment !== null) {
      connectionChanged ||= input.deployment !== integration.deployment;
      integration.deployment = input.deployment;
    }
    const previousUrl = integration.url;
    if ((input.url !== undefined && input.url !== null) || connectionChanged) {
      const url = normalizeInstanceUrl(input.url ?? integration.url, integration.deployment);
      connectionChanged ||= url !== integration.url;
      integration.url = url;
    }
    const instanceChanged = integration.url !== previousUrl;
    if (input.authMethod !== undefined && input.authMethod !== null) {
      connectionChanged ||= input.authMethod !== integration.authMethod;
      integration.authMethod = input.authMethod;
    }
    if (input.username !== undefined) {
      const username = validateText(input.username, "input.username", 255);
      connectionChanged ||= username !== integration.username;
      integration.username = username;
    }
    if (input.clientId !== undefined) {
      const clientId = validateText(input.clientId, "input.clientId", 255);
      connectionChanged ||= clientId !== integration.clientId;
      integration.clientId = clientId;
    }
    if (input.awsSecretId !== undefined) {
      const awsSecretId = validateText(input.awsSecretId, "input.awsSecretId", 2048);
      connectionChanged ||= awsSecretId !== integration.awsSecretId;
      integration.awsSecretId = awsSecretId;
      if (awsSecretId !== null) {
        integration.passwordCipher = null;
        integration.clientSecretCipher = null;
      }
    }
    if (input.password !== undefined) {
      connectionChanged = true;
      integration.passwordCipher = input.password
        ? this.encryptSecret(integration.id, "password", input.password)
        : null;
    }
    if (input.clientSecret !== undefined) {
      connectionChanged = true;
      integration.clientSecretCipher = input.clientSecret
        ? this.encryptSecret(integration.id, "clientSecret", input.clientSecret)
        : null;
    }
    const previouslyExcluded = integration.excludedFields;
    if (input.excludedFields !== undefined) {
      integration.excludedFields = validateExcludedFields(input.excludedFields);
    }
    if (input.ownerEmail !== undefined) {
      integration.ownerEmail = input.ownerEmail;
    }
    if (input.contact !== undefined) {
      integration.contact = validateText(input.contact, "input.contact", 320);
    }
    if (input.expectedTransactionsPerDay !== undefined) {
      integration.expectedTransactionsPerDay = input.expectedTransactionsPerDay;
    }
    if (input.defaultAssignmentGroup !== undefined) {
      integration.defaultAssignmentGroup = validateText(
        input.defaultAssignmentGroup,
        "input.defaultAssignmentGroup",
        255,
      );
    }
    if (input.syncIntervalMinutes !== undefined && input.syncIntervalMinutes !== null) {
      integration.syncIntervalMinutes = input.syncIntervalMinutes;
    }
    if (input.writeEnabled !== undefined && input.writeEnabled !== null) {
      integration.writeEnabled = input.writeEnabled;
    }
    const enabledChanged =
      input.enabled !== undefined &&
      input.enabled !== null &&
      input.enabled !== integration.enabled;
    if (enabledChanged) {
      integration.enabled = input.enabled!;
    }
    validateCredentialShape({
      authMethod: integration.authMethod,
      username: integration.username,
      hasPassword: integration.passwordCipher !== null,
      clientId: integration.clientId,
      hasClientSecret: integration.clientSecretCipher !== null,
      awsSecretId: integration.awsSecretId,
    });
    if (connectionChanged) {
      // New address or credentials: old tokens and the old verdict no longer apply.
      integration.accessTokenCipher = null;
      integration.refreshTokenCipher = null;
      integration.accessTokenExpiresAt = null;
      integration.lastValidation = null;
      this.resetStatus(integration, "Connection settings changed; run validateConnection.");
    } else if (enabledChanged) {
      this.resetStatus(
        integration,
        integration.enabled ? "Re-enabled; run validateConnection." : "Disabled by an admin.",
      );
    }
    const fieldsOf = (list: readonly ExcludedFields[], table: string) =>
      list.find((entry) => entry.table === table)?.fields ?? [];
    const newlyExcluded = integration.excludedFields
      .map((entry) => ({
        table: entry.table,
        fields: entry.fields.filter(
          (field) => !fieldsOf(previouslyExcluded, entry.table).includes(field),
        ),
      }))
      .filter((entry) => entry.fields.length > 0);
    // Tables whose stored rows lack a field that is wanted again must be read whole once more;
    // a journal field wanted again is read from the journal table.
    const refetch = [
      ...new Set(
        previouslyExcluded.flatMap((old) =>
          old.fields
            .filter((field) => !fieldsOf(integration.excludedFields, old.table).includes(field))
            .map((field) =>
              isJournalField(old.table, field)
                ? SERVICENOW_TABLES.sys_journal_field.name
                : old.table,
            ),
        ),
      ),
    ];
    if (newlyExcluded.length === 0 && refetch.length === 0 && !instanceChanged) {
      return this.saveUnique(integration);
    }
    // The setting, the purge of what was stored and the sync restarts commit together.
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(integration);
      for (const entry of newlyExcluded) {
        await purgeExcludedFields(manager, integration.id, syncTableOf(entry.table), entry.fields);
      }
      if (instanceChanged) {
        // Another instance: no watermark applies; the next run reads everything and its
        // reconciliation removes what the old instance had.
        await manager.delete(SyncState, { integrationId: integration.id });
      } else if (refetch.length > 0) {
        await manager.delete(SyncState, { integrationId: integration.id, tableName: In(refetch) });
      }
      return saved;
    });
  }

  /** Removes the integration and everything cached for it, in one transaction. */
  async delete(id: string): Promise<boolean> {
    const integration = await this.getOrFail(id);
    await this.dataSource.transaction(async (manager: EntityManager) => {
      for (const entity of CACHED_DATA) {
        await manager.delete(entity, { integrationId: integration.id });
      }
      await manager.delete(Integration, { id: integration.id });
    });
    return true;
  }

  /** Persists OAuth tokens encrypted, touching only the token columns. */
  async storeTokens(
    integrationId: string,
    tokens: { accessToken: string; refreshToken: string | null; expiresAt: Date },
  ): Promise<void> {
    await this.integrations.update(
      { id: integrationId },
      {
        accessTokenCipher: this.encryptSecret(integrationId, "accessToken", tokens.accessToken),
        refreshTokenCipher:
          tokens.refreshToken === null
            ? null
            : this.encryptSecret(integrationId, "refreshToken", tokens.refreshToken),
        accessTokenExpiresAt: tokens.expiresAt,
      },
    );
  }

  async save(integration: Integration): Promise<Integration> {
    return this.integrations.save(integration);
  }

  private resetStatus(integration: Integration, reason: string): void {
    if (!integration.enabled) {
      integration.status = IntegrationStatus.DISABLED;
      integration.statusReason = "Disabled by an admin.";
      return;
    }
    const needsAuthorization =
      integration.authMethod === AuthMethod.OAUTH &&
      !integration.username &&
      integration.refreshTokenCipher === null;
    integration.status = needsAuthorization
      ? IntegrationStatus.NEEDS_AUTHORIZATION
      : IntegrationStatus.PENDING;
    integration.statusReason = needsAuthorization
      ? "Authorize the gateway in ServiceNow: call authorizeIntegration and open the URL."
      : reason;
  }

  private async assertNameFree(name: string, exceptId: string | null): Promise<void> {
    const existing = await this.integrations.findOneBy({ name });
    if (existing && existing.id !== exceptId) {
      throw new GatewayError(
        "CONFLICT",
        `An integration named "${name}" already exists`,
        "input.name",
      );
    }
  }

  private async saveUnique(integration: Integration): Promise<Integration> {
    try {
      return await this.integrations.save(integration);
    } catch (error) {
      // Two concurrent creates with one name: the unique index decides.
      if (error instanceof QueryFailedError && /unique|duplicate/i.test(error.message)) {
        throw new GatewayError(
          "CONFLICT",
          `An integration named "${integration.name}" already exists`,
          "input.name",
        );
      }
      throw error;
    }
  }
}
