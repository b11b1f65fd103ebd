import { Column, Entity, PrimaryColumn } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";

/**
 * An integration's webhook secret, encrypted like its credentials (SecretBox, bound to the
 * integration and the column). After a rotation the previous secret keeps verifying until
 * `previousValidUntil`, so the ServiceNow side can be switched over without losing pushes.
 */
@Entity("webhook_secret")
export class WebhookSecret {
  @PrimaryColumn({ type: "varchar", length: 36 })
  integrationId: string;

  @Column({ type: "text" })
  secretCipher: string;

  @Column({ type: "text", nullable: true })
  previousSecretCipher: string | null;

  @DateTimeColumn({ nullable: true })
  previousValidUntil: Date | null;

  @DateTimeColumn()
  createdAt: Date;

  /** The last notification accepted (signature, timestamp and body all valid). */
  @DateTimeColumn({ nullable: true })
  lastAcceptedAt: Date | null;
}
