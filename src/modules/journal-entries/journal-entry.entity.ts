import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { JOURNAL_ENTRY_TABLE } from "./journal-entry.table";

/** A stored journal entry row: derived from `JOURNAL_ENTRY_TABLE` (the entity and its GraphQL type are built from it). */
export type JournalEntry = RecordRow<typeof JOURNAL_ENTRY_TABLE>;
export const JournalEntry = recordEntityClassOf(JOURNAL_ENTRY_TABLE);
