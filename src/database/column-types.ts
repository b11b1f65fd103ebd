import { Column, type ColumnOptions } from "typeorm";

import { databaseKindOfEnvironment } from "../config/config";

/**
 * Column types that differ between SQLite and PostgreSQL are decided here, once, so entities
 * stay database-neutral. Entity decorators run at import time, before any DataSource exists,
 * hence the kind comes from the environment's configuration rather than a DataSource.
 */
const kind = databaseKindOfEnvironment();

export const dateTimeColumnType = kind === "postgres" ? "timestamptz" : "datetime";
export const jsonColumnType = kind === "postgres" ? "jsonb" : "json";

export function DateTimeColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: dateTimeColumnType, ...options });
}

export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: jsonColumnType, ...options });
}
