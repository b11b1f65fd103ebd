import "reflect-metadata";

import { DataSource } from "typeorm";

import { loadConfig } from "./src/config/config";
import { dataSourceOptions } from "./src/database/data-source";

/** DataSource options for the TypeORM CLI: SQLite `data/gateway.sqlite` unless DATABASE_URL says otherwise. */
export const ormConfig = dataSourceOptions(loadConfig().database);

export const AppDataSource = new DataSource(ormConfig);
