import { type DataSource, QueryFailedError, type Repository } from "typeorm";

import { WriteOutcome } from "./incident-write.enums";
import { WriteLogEntry } from "./write-log.entity";

export type WriteLogStart = Pick<
  WriteLogEntry,
  "role" | "tokenName" | "operation" | "integrationId" | "sysId" | "correlationId"
>;

export type WriteLogFinish = Partial<
  Pick<
    WriteLogEntry,
    "outcome" | "sysId" | "servicenowStatus" | "durationMs" | "error" | "transaction"
  >
> & { readonly releaseKey?: boolean };

/** Write-log rows: the audit trail, and the claims that make a correlation id idempotent. */
export class WriteLogRepository {
  private readonly entries: Repository<WriteLogEntry>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(WriteLogEntry);
  }

  /** A new attempt, PENDING. */
  async start(entry: WriteLogStart): Promise<WriteLogEntry> {
    return this.entries.save(
      this.entries.create({
        ...entry,
        idempotencyKey: null,
        at: new Date(),
        outcome: WriteOutcome.PENDING,
        servicenowStatus: null,
        durationMs: null,
        error: null,
        transaction: false,
      }),
    );
  }

  /**
   * Makes the attempt's row hold a correlation id; false when another row holds it (the unique
   * index on (integration, key) decides, across replicas).
   */
  async claim(entry: WriteLogEntry, key: string): Promise<boolean> {
    try {
      await this.entries.update({ id: entry.id }, { idempotencyKey: key });
    } catch (error) {
      if (error instanceof QueryFailedError && /unique|duplicate/i.test(error.message)) {
        return false;
      }
      throw error;
    }
    entry.idempotencyKey = key;
    return true;
  }

  claimOf(integrationId: string, key: string): Promise<WriteLogEntry | null> {
    return this.entries.findOneBy({ integrationId, idempotencyKey: key });
  }

  /**
   * Takes over a claim left UNKNOWN (or PENDING by a request that died): only one request
   * wins the conditional update, the others keep waiting.
   */
  async takeOver(claim: WriteLogEntry): Promise<boolean> {
    const { affected } = await this.entries
      .createQueryBuilder()
      .update(WriteLogEntry)
      .set({ outcome: WriteOutcome.PENDING, at: new Date() })
      .where("id = :id AND outcome = :outcome AND at = :at", {
        id: claim.id,
        outcome: claim.outcome,
        at: claim.at,
      })
      .execute();
    return (affected ?? 0) > 0;
  }

  async finish(entry: WriteLogEntry, changes: WriteLogFinish): Promise<void> {
    const { releaseKey, ...columns } = changes;
    Object.assign(entry, columns, releaseKey === true ? { idempotencyKey: null } : {});
    await this.entries.update(
      { id: entry.id },
      { ...columns, ...(releaseKey === true ? { idempotencyKey: null } : {}) },
    );
  }
}
