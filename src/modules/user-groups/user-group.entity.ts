import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { USER_GROUP_TABLE } from "./user-group.table";

/** A stored assignment group row: derived from `USER_GROUP_TABLE` (the entity and its GraphQL type are built from it). */
export type UserGroup = RecordRow<typeof USER_GROUP_TABLE>;
export const UserGroup = recordEntityClassOf(USER_GROUP_TABLE);
