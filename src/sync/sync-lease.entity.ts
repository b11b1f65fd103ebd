import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * Which gateway process may sync an integration, until when. Replicas sharing one database
 * take the lease before a run and renew it while running; an expired lease can be taken over.
 */
@Entity("sync_lease")
export class SyncLease {
  @PrimaryColumn({ type: "varchar", length: 36 })
  integrationId: string;

  @Column({ type: "varchar", length: 100 })
  holder: string;

  /** Epoch milliseconds: integers compare the same way on SQLite and PostgreSQL. */
  @Column({ type: "bigint" })
  expiresAtMs: string;
}
