import type { DataSource } from "typeorm";

import type { PageCommit, PageStatements, PageStore } from "./page.store";

/**
 * Pages committed through the main DataSource: for a database no second connection can open
 * (in-memory SQLite), where the page loop runs on the main thread instead of the worker.
 */
export class TypeOrmPageStore implements PageStore {
  constructor(private readonly dataSource: DataSource) {}

  async commit(statements: PageStatements, page: PageCommit): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await statements.write(
        { execute: (sql, parameters) => manager.query(sql, [...parameters]) },
        page,
      );
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
