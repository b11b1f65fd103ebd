import type { MigrationInterface } from "typeorm";

import { Initial1795621038097 } from "./1795621038097-Initial";

/** In order of creation; never edit a migration once it is on main. */
export const POSTGRES_MIGRATIONS: Array<new () => MigrationInterface> = [Initial1795621038097];
