import "reflect-metadata";

import { openDataSource } from "../../src/database/data-source";
import { runChild, serveParent } from "./child-process";

/**
 * Applies the PostgreSQL migrations to the database at argv[2] (its schema through
 * search_path), then reports ready. A child of its own: the entities' column types follow
 * DATABASE_URL when they are imported, and the bench's own process imported them for SQLite.
 */
runChild(async () => {
  const dataSource = await openDataSource({ kind: "postgres", url: process.argv[2] });
  await dataSource.destroy();
  serveParent({ migrated: true }, {});
});
