import { Entity, Index, PrimaryColumn } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";

/**
 * A signature already accepted, remembered while its timestamp could still pass the tolerance
 * check: the primary key makes a replay fail on any replica sharing the database. Rows past
 * `expiresAt` are pruned.
 */
@Entity("webhook_delivery")
@Index(["expiresAt"])
export class WebhookDelivery {
  @PrimaryColumn({ type: "varchar", length: 36 })
  integrationId: string;

  /** The hex HMAC-SHA256 of the notification (not a secret: it cannot be inverted). */
  @PrimaryColumn({ type: "varchar", length: 64 })
  signature: string;

  @DateTimeColumn()
  expiresAt: Date;
}
