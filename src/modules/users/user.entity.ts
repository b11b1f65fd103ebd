import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { USER_TABLE } from "./user.table";

/** A stored user row: derived from `USER_TABLE` (the entity and its GraphQL type are built from it). */
export type User = RecordRow<typeof USER_TABLE>;
export const User = recordEntityClassOf(USER_TABLE);
