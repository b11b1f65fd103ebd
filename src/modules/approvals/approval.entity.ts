import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { APPROVAL_TABLE } from "./approval.table";

/** A stored approval row: derived from `APPROVAL_TABLE` (the entity and its GraphQL type are built from it). */
export type Approval = RecordRow<typeof APPROVAL_TABLE>;
export const Approval = recordEntityClassOf(APPROVAL_TABLE);
