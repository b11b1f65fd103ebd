import type { DataSource, EntityManager } from "typeorm";

import type {
  PageChanges,
  PageCommit,
  PageExecutor,
  PageStatements,
  PageStore,
} from "./page.store";

/**
 * Pages committed through the main DataSource: for a database no second connection can open
 * (in-memory SQLite), where the page loop runs on the main thread instead of the worker.
 */
export class TypeOrmPageStore implements PageStore {
  readonly direct: PageExecutor;

  constructor(private readonly dataSource: DataSource) {
    this.direct = executorOf(dataSource.manager);
  }

  commit(statements: PageStatements, page: PageCommit): Promise<PageChanges> {
    return this.dataSource.transaction((manager) => statements.write(executorOf(manager), page));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function executorOf(manager: EntityManager): PageExecutor {
  return {
    execute: (sql, parameters) => manager.query(sql, [...parameters]),
    firstColumn: async (sql, parameters) => {
      const rows: Array<Record<string, unknown>> = await manager.query(sql, [...parameters]);
      return rows.map((row) => Object.values(row)[0]);
    },
  };
}
