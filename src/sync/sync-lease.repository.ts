import type { DataSource } from "typeorm";

import { SyncLease } from "./sync-lease.entity";

/** Lease rows: one holder per integration at a time, across every replica on the database. */
export class SyncLeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes the lease when it is free, expired or already ours; true when we hold it now. */
  async acquire(
    integrationId: string,
    holder: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<boolean> {
    const expires = String(now + ttlMs);
    const table = this.dataSource.getMetadata(SyncLease).tableName;
    const placeholders =
      this.dataSource.options.type === "postgres" ? ["$1", "$2", "$3", "$4"] : ["?", "?", "?", "?"];
    // One statement decides: a concurrent replica's insert or update either wins or is a no-op.
    await this.dataSource.query(
      `INSERT INTO ${table} (integration_id, holder, expires_at_ms) VALUES (${placeholders[0]}, ${placeholders[1]}, ${placeholders[2]})
       ON CONFLICT (integration_id) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
       WHERE ${table}.expires_at_ms < ${placeholders[3]} OR ${table}.holder = excluded.holder`,
      [integrationId, holder, expires, String(now)],
    );
    const lease = await this.dataSource.getRepository(SyncLease).findOneBy({ integrationId });
    return lease?.holder === holder;
  }

  /** Extends our lease; false when another holder has taken it (we must stop). */
  async renew(
    integrationId: string,
    holder: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(SyncLease)
      .update({ integrationId, holder }, { expiresAtMs: String(now + ttlMs) });
    return result.affected === 1;
  }

  async release(integrationId: string, holder: string): Promise<void> {
    await this.dataSource.getRepository(SyncLease).delete({ integrationId, holder });
  }

  async holderOf(integrationId: string, now = Date.now()): Promise<string | null> {
    const lease = await this.dataSource.getRepository(SyncLease).findOneBy({ integrationId });
    return lease && Number(lease.expiresAtMs) > now ? lease.holder : null;
  }
}
