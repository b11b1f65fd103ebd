import { Column, Entity, PrimaryColumn } from "typeorm";

import { DateTimeColumn } from "../database/column-types";

/** The watermark per (integration, table): the last committed (cursor time, sys_id). */
@Entity("sync_state")
export class SyncState {
  @PrimaryColumn({ type: "varchar", length: 36 })
  integrationId: string;

  @PrimaryColumn({ type: "varchar", length: 80 })
  tableName: string;

  @DateTimeColumn({ nullable: true })
  watermarkTime: Date | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  watermarkSysId: string | null;

  /**
   * The table's newest cursor value when its last run started (ServiceNow's clock). Anything
   * written since then, even in the watermark's own second with a smaller sys_id, is at or
   * after it, so the next run re-reads from this second on.
   */
  @DateTimeColumn({ nullable: true })
  overlapFrom: Date | null;

  @DateTimeColumn({ nullable: true })
  lastFullSyncAt: Date | null;

  @DateTimeColumn({ nullable: true })
  lastReconciledAt: Date | null;

  @DateTimeColumn()
  updatedAt: Date;
}
