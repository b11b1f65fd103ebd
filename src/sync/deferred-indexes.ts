import type { DataSource, EntityManager, EntityTarget } from "typeorm";

import type { Logger } from "../logging/logger";
import { DeferredIndex } from "./deferred-index.entity";
import { quoteIdentifier, quoteTablePath } from "./worker/upsert.plan";

/**
 * Secondary indexes deferred while a first backfill fills an empty table: inserting into a table
 * with all its indexes updates every B-tree per row, building them afterwards sorts once. Only the
 * unique indexes stay (the upsert's `ON CONFLICT` needs them), so the data is exactly as with
 * indexes; reads during that first backfill are slower, never wrong. A table holding any row (of
 * any integration) is never touched, so serving data is not slowed by another integration's
 * first sync.
 */
export class DeferredIndexes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  /** Drops the table's non-unique indexes when it holds no row; true when any was dropped. */
  async suspendIfEmpty(entity: EntityTarget<unknown>): Promise<boolean> {
    const metadata = this.dataSource.getMetadata(entity);
    const isEmpty = async (manager: EntityManager) =>
      (
        (await manager.query(
          `SELECT 1 AS "one" FROM ${quoteTablePath(metadata.tablePath)} LIMIT 1`,
        )) as unknown[]
      ).length === 0;
    // Outside a transaction first: a table in use is left without taking any lock.
    if (!(await isEmpty(this.dataSource.manager))) {
      return false;
    }
    return this.dataSource.transaction(async (manager) => {
      if (this.dataSource.options.type === "postgres") {
        // Replicas starting first backfills at once take turns: without it, each holds the
        // table's share lock from its check while the other's DROP INDEX waits for it (deadlock).
        await manager.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
          `sync_deferred_index:${metadata.tablePath}`,
        ]);
      }
      if (!(await isEmpty(manager))) {
        return false;
      }
      const indexes = await this.secondaryIndexes(manager, metadata.tableName, metadata.schema);
      if (indexes.length === 0) {
        return false;
      }
      await manager
        .createQueryBuilder()
        .insert()
        .into(DeferredIndex)
        .values(indexes.map((index) => ({ ...index, tableName: metadata.tableName })))
        .orIgnore()
        .execute();
      for (const index of indexes) {
        await manager.query(`DROP INDEX IF EXISTS ${this.indexPath(index.name, metadata.schema)}`);
      }
      return true;
    });
  }

  /** Recreates what was deferred for one table (or every table), exactly as it was defined. */
  async restore(entity?: EntityTarget<unknown>): Promise<number> {
    const repository = this.dataSource.getRepository(DeferredIndex);
    const deferred = await repository.find({
      where: entity ? { tableName: this.dataSource.getMetadata(entity).tableName } : {},
      order: { name: "ASC" },
    });
    for (const index of deferred) {
      const started = Date.now();
      await this.dataSource.transaction(async (manager) => {
        await manager.query(ifNotExists(index.definition));
        await manager.getRepository(DeferredIndex).delete({ name: index.name });
      });
      this.logger.debug(
        { table: index.tableName, index: index.name, ms: Date.now() - started },
        "restored a deferred index",
      );
    }
    return deferred.length;
  }

  /** The table's indexes that no constraint or upsert needs, with their defining statements. */
  private async secondaryIndexes(
    manager: EntityManager,
    table: string,
    schema: string | undefined,
  ): Promise<Array<{ name: string; definition: string }>> {
    const rows: Array<{ name: string; definition: string | null }> =
      this.dataSource.options.type === "postgres"
        ? await manager.query(
            `SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes
             WHERE schemaname = COALESCE($1, current_schema()) AND tablename = $2`,
            [schema ?? null, table],
          )
        : await manager.query(
            `SELECT name AS "name", sql AS "definition" FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?`,
            [table],
          );
    // SQLite's own indexes for UNIQUE and PRIMARY KEY constraints have no statement; unique ones
    // serve the upsert; primary keys are unique too.
    return rows.filter(
      (row): row is { name: string; definition: string } =>
        row.definition !== null && /^CREATE INDEX /i.test(row.definition),
    );
  }

  private indexPath(name: string, schema: string | undefined): string {
    return schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(name)}` : quoteIdentifier(name);
  }
}

/** `CREATE INDEX x …` as `CREATE INDEX IF NOT EXISTS x …`, so a replay after a crash is harmless. */
function ifNotExists(definition: string): string {
  return definition.replace(/^CREATE INDEX (IF NOT EXISTS )?/i, "CREATE INDEX IF NOT EXISTS ");
}
