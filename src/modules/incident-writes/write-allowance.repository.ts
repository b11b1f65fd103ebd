import type { DataSource } from "typeorm";

import { WriteAllowance } from "./write-allowance.entity";

export interface Reservation {
  readonly ok: boolean;
  /** Transactions used today after the attempt. */
  readonly used: number;
  /** The UTC day the reservation counts against (released against the same day). */
  readonly day: string;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The next UTC midnight: when the daily allowance starts again. */
export function nextUtcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/**
 * The daily allowance in the database: one row per integration and UTC day, reserved with a
 * conditional increment, so replicas sharing the database can never together exceed the cap.
 */
export class WriteAllowanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async used(integrationId: string, at: Date): Promise<number> {
    const row = await this.dataSource
      .getRepository(WriteAllowance)
      .findOneBy({ integrationId, day: utcDay(at) });
    return row?.used ?? 0;
  }

  /** Takes one transaction unless `cap` are used already (null: no cap, still counted). */
  async reserve(integrationId: string, cap: number | null, at: Date): Promise<Reservation> {
    const day = utcDay(at);
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(WriteAllowance)
      .values({ integrationId, day, used: 0 })
      .orIgnore()
      .execute();
    const update = this.dataSource
      .createQueryBuilder()
      .update(WriteAllowance)
      .set({ used: () => "used + 1" })
      .where("integration_id = :integrationId AND day = :day", { integrationId, day });
    if (cap !== null) {
      update.andWhere("used < :cap", { cap });
    }
    const { affected } = await update.execute();
    return { ok: (affected ?? 0) > 0, used: await this.used(integrationId, at), day };
  }

  /** Gives back a reserved transaction whose write did not happen. */
  async release(integrationId: string, day: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(WriteAllowance)
      .set({ used: () => "used - 1" })
      .where("integration_id = :integrationId AND day = :day AND used > 0", { integrationId, day })
      .execute();
  }
}
