import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { CHANGE_REQUEST_TABLE } from "./change-request.table";

/** A stored change request row: derived from `CHANGE_REQUEST_TABLE` (the entity and its GraphQL type are built from it). */
export type ChangeRequest = RecordRow<typeof CHANGE_REQUEST_TABLE>;
export const ChangeRequest = recordEntityClassOf(CHANGE_REQUEST_TABLE);
