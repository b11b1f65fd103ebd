import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * A secondary index dropped for a first backfill, with the statement that recreates it exactly
 * (the database's own definition). Kept in the database, in the transaction that dropped it, so a
 * process that dies mid-backfill leaves a record the next start restores from.
 */
@Entity("sync_deferred_index")
export class DeferredIndex {
  @PrimaryColumn({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 200 })
  tableName: string;

  @Column({ type: "text" })
  definition: string;
}
