import { JOURNAL_ENTRY_TABLE } from "../modules/journal-entries/journal-entry.table";
import { TABLES } from "../tables";
import { journalScope } from "./mappers/journal-scope";
import { tableMapperOf } from "./mappers/record.mapper";
import type { TableMapper } from "./sync-table";

/**
 * The mapper of every table the sync reads, in dependency order (`TABLES`). The journal's scope
 * depends on every other table's journal fields, so it is the one set here. Free of TypeORM, so
 * a worker thread can map pages without loading the entities.
 */
export const TABLE_MAPPERS: readonly TableMapper[] = TABLES.map((table) =>
  table.name === JOURNAL_ENTRY_TABLE.name
    ? { ...tableMapperOf(table), scope: journalScope }
    : tableMapperOf(table),
);
