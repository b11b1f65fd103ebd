import { randomBytes } from "node:crypto";

import { type DataSource, LessThan, QueryFailedError, type Repository } from "typeorm";

import type { Logger } from "../../logging/logger";
import type { SecretBox } from "../../secrets/secret-box";
import type { IntegrationService } from "../integrations/integration.service";
import { WebhookError } from "./webhook.errors";
import { parseNotifications, type WebhookNotification } from "./webhook.notification";
import { parseSignatureHeader, signedByAny } from "./webhook.signature";
import { Freshness, type WebhookSecretView } from "./webhook.types";
import { WebhookDelivery } from "./webhook-delivery.entity";
import { WebhookSecret } from "./webhook-secret.entity";

export const WEBHOOK_PATH = "/webhooks/servicenow";

/** A timestamp further than this from the gateway's clock is refused (and replays expire). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
/** An integration is WEBHOOK-fresh while its last accepted notification is this recent. */
export const FRESHNESS_WINDOW_MS = 24 * 60 * 60_000;
/** Expired replay-guard rows are deleted at most this often (by whichever request comes). */
const PRUNE_EVERY_MS = 60_000;
/** lastAcceptedAt is written at most this often per integration and process. */
const ACCEPTED_WRITE_EVERY_MS = 5_000;
/** Decrypted secrets are re-read after this (a signature that does not match re-reads at once). */
const KEY_CACHE_MS = 5_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WebhookSettings {
  readonly publicUrl: string;
  /** How long the previous secret keeps verifying after a rotation. */
  readonly secretGraceMs: number;
}

interface CachedKeys {
  readonly current: string;
  readonly previous: string | null;
  readonly previousValidUntil: number;
  readonly readAt: number;
  readonly cached: boolean;
}

/** What a request carries for verification. */
export interface SignedRequest {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly rawBody: Buffer;
}

/**
 * Webhook secrets (rotation, encrypted storage) and the verification of each notification:
 * signature under the current or, within the grace, the previous secret; timestamp within five
 * minutes; signature never seen before on any replica (a unique key in the database).
 */
export class WebhookService {
  private readonly secrets: Repository<WebhookSecret>;
  private readonly deliveries: Repository<WebhookDelivery>;
  private readonly acceptedWrittenAt = new Map<string, number>();
  private readonly keyCache = new Map<string, CachedKeys>();
  private lastPruneAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationService,
    private readonly box: SecretBox,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = dataSource.getRepository(WebhookSecret);
    this.deliveries = dataSource.getRepository(WebhookDelivery);
  }

  webhookUrl(integrationId: string): string {
    return `${this.settings.publicUrl}${WEBHOOK_PATH}/${integrationId}`;
  }

  /**
   * Creates or replaces the integration's secret; the only time it is ever shown. The one it
   * replaces keeps verifying for the grace period, so ServiceNow can be switched over meanwhile.
   */
  async rotate(integrationId: string): Promise<WebhookSecretView> {
    const integration = await this.integrations.getOrFail(integrationId);
    const secret = randomBytes(32).toString("hex");
    const createdAt = new Date(this.now());
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(WebhookSecret, { integrationId: integration.id });
      const previous =
        existing === null ? null : this.decrypt(integration.id, "current", existing.secretCipher);
      await manager.save(WebhookSecret, {
        integrationId: integration.id,
        secretCipher: this.encrypt(integration.id, "current", secret),
        previousSecretCipher:
          previous === null ? null : this.encrypt(integration.id, "previous", previous),
        previousValidUntil:
          previous === null ? null : new Date(createdAt.getTime() + this.settings.secretGraceMs),
        createdAt,
        lastAcceptedAt: existing?.lastAcceptedAt ?? null,
      });
    });
    this.keyCache.delete(integration.id);
    this.logger.info({ integrationId: integration.id }, "webhook secret rotated");
    return { secret, webhookUrl: this.webhookUrl(integration.id), createdAt };
  }

  /** Drops what is cached of a deleted integration's secrets (other replicas: within 5 s). */
  forget(integrationId: string): void {
    this.keyCache.delete(integrationId);
    this.acceptedWrittenAt.delete(integrationId);
  }

  /**
   * The notifications of a request, once it is proven to come from the holder of the secret,
   * fresh and never seen before; otherwise a WebhookError (nothing is changed by a refusal).
   */
  async verify(integrationId: string, request: SignedRequest): Promise<WebhookNotification[]> {
    if (!UUID_PATTERN.test(integrationId)) {
      throw new WebhookError("WEBHOOK_INTEGRATION_UNKNOWN", "No such integration.");
    }
    let keys = await this.keysOf(integrationId, false);
    const signature = parseSignatureHeader(request.signature);
    if (signature === null || request.timestamp === undefined) {
      throw new WebhookError(
        "WEBHOOK_SIGNATURE_INVALID",
        "Send X-Gateway-Timestamp (Unix seconds) and X-Gateway-Signature: sha256=<hex HMAC-SHA256 of timestamp.body>.",
      );
    }
    const timestamp = request.timestamp.trim();
    const now = this.now();
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw new WebhookError(
        "WEBHOOK_TIMESTAMP_STALE",
        "X-Gateway-Timestamp must be Unix seconds.",
      );
    }
    const sentAt = Number(timestamp) * 1000;
    if (Math.abs(now - sentAt) > TIMESTAMP_TOLERANCE_MS) {
      throw new WebhookError(
        "WEBHOOK_TIMESTAMP_STALE",
        "X-Gateway-Timestamp is more than 5 minutes away from the gateway's clock.",
      );
    }
    let signed = signedByAny(this.validSecrets(keys, now), signature, timestamp, request.rawBody);
    if (!signed && keys.cached) {
      // Another replica may have rotated the secret since it was cached: read it again.
      keys = await this.keysOf(integrationId, true);
      signed = signedByAny(this.validSecrets(keys, now), signature, timestamp, request.rawBody);
    }
    if (!signed) {
      throw new WebhookError("WEBHOOK_SIGNATURE_INVALID", "The signature does not match.");
    }
    const notifications = parseNotifications(request.rawBody);
    await this.remember(integrationId, signature, sentAt + TIMESTAMP_TOLERANCE_MS);
    await this.noteAccepted(integrationId, now);
    return notifications;
  }

  /** When the integration last had a notification accepted, and what that makes its freshness. */
  freshnessOf(stored: WebhookSecret | null): Freshness {
    const last = stored?.lastAcceptedAt?.getTime();
    return last !== undefined && this.now() - last < FRESHNESS_WINDOW_MS
      ? Freshness.WEBHOOK
      : Freshness.POLLING;
  }

  /** Re-encrypts secrets written under a previous GATEWAY_SECRET_KEY; returns how many rows. */
  async reencryptSecrets(): Promise<number> {
    let changed = 0;
    for (const row of await this.secrets.find()) {
      const stale =
        this.box.needsRotation(row.secretCipher) ||
        (row.previousSecretCipher !== null && this.box.needsRotation(row.previousSecretCipher));
      if (!stale) {
        continue;
      }
      const current = this.decrypt(row.integrationId, "current", row.secretCipher);
      const previous =
        row.previousSecretCipher === null
          ? null
          : this.decrypt(row.integrationId, "previous", row.previousSecretCipher);
      await this.secrets.update(
        { integrationId: row.integrationId },
        {
          secretCipher: this.encrypt(row.integrationId, "current", current),
          previousSecretCipher:
            previous === null ? null : this.encrypt(row.integrationId, "previous", previous),
        },
      );
      changed += 1;
    }
    return changed;
  }

  /**
   * The integration's secrets, decrypted, from a short-lived cache (a burst would otherwise
   * read and decrypt them per request); `fresh` reads the database. No row: 404 when the
   * integration does not exist, else 401 (no secret was ever created).
   */
  private async keysOf(integrationId: string, fresh: boolean): Promise<CachedKeys> {
    const hit = this.keyCache.get(integrationId);
    if (!fresh && hit !== undefined && this.now() - hit.readAt < KEY_CACHE_MS) {
      return { ...hit, cached: true };
    }
    const stored = await this.secrets.findOneBy({ integrationId });
    if (stored === null) {
      this.keyCache.delete(integrationId);
      if ((await this.integrations.get(integrationId)) === null) {
        throw new WebhookError("WEBHOOK_INTEGRATION_UNKNOWN", "No such integration.");
      }
      throw new WebhookError(
        "WEBHOOK_SIGNATURE_INVALID",
        "This integration has no webhook secret yet: an admin creates one with rotateWebhookSecret.",
      );
    }
    const keys: CachedKeys = {
      current: this.decrypt(integrationId, "current", stored.secretCipher),
      previous:
        stored.previousSecretCipher === null
          ? null
          : this.decrypt(integrationId, "previous", stored.previousSecretCipher),
      previousValidUntil: stored.previousValidUntil?.getTime() ?? 0,
      readAt: this.now(),
      cached: false,
    };
    this.keyCache.set(integrationId, keys);
    return keys;
  }

  private validSecrets(keys: CachedKeys, now: number): string[] {
    return keys.previous !== null && keys.previousValidUntil > now
      ? [keys.current, keys.previous]
      : [keys.current];
  }

  /** The replay guard: a second insert of one signature fails on the primary key. */
  private async remember(integrationId: string, signature: string, expiresAt: number) {
    try {
      await this.deliveries.insert({ integrationId, signature, expiresAt: new Date(expiresAt) });
    } catch (error) {
      if (error instanceof QueryFailedError && /unique|duplicate/i.test(error.message)) {
        throw new WebhookError(
          "WEBHOOK_REPLAYED",
          "This notification was already received (same signature).",
        );
      }
      throw error;
    }
    const now = this.now();
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = now;
      this.deliveries.delete({ expiresAt: LessThan(new Date(now)) }).catch((error: unknown) => {
        this.logger.warn({ err: error }, "could not prune expired webhook deliveries");
      });
    }
  }

  private async noteAccepted(integrationId: string, now: number): Promise<void> {
    if (now - (this.acceptedWrittenAt.get(integrationId) ?? 0) < ACCEPTED_WRITE_EVERY_MS) {
      return;
    }
    this.acceptedWrittenAt.set(integrationId, now);
    await this.secrets.update({ integrationId }, { lastAcceptedAt: new Date(now) });
  }

  private encrypt(integrationId: string, slot: "current" | "previous", secret: string): string {
    return this.box.encrypt(secret, `${integrationId}:webhookSecret:${slot}`);
  }

  private decrypt(integrationId: string, slot: "current" | "previous", cipher: string): string {
    return this.box.decrypt(cipher, `${integrationId}:webhookSecret:${slot}`);
  }
}
