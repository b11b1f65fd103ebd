import { Column, Entity, Index, PrimaryColumn } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";

/**
 * A pending OAuth authorization: single-use and short-lived. Only a digest of `state` is kept,
 * so a database reader cannot complete someone else's authorization.
 */
@Entity("oauth_state")
@Index(["integrationId"])
export class OAuthState {
  @PrimaryColumn({ type: "varchar", length: 64 })
  stateDigest: string;

  @Column({ type: "varchar", length: 36 })
  integrationId: string;

  @DateTimeColumn()
  expiresAt: Date;

  @DateTimeColumn({ nullable: true })
  usedAt: Date | null;

  @DateTimeColumn()
  createdAt: Date;
}
