import { referencesOf, requiredFieldsOf, serviceNowFieldsOf } from "../table-model/table-fields";
import { TABLES } from "../tables";

/**
 * The connector's view of the tables the gateway reads: what to ask ServiceNow for. Derived
 * from the table descriptors (`src/tables.ts`), never written by hand.
 */
export const SERVICENOW_TABLE_NAMES: readonly string[] = TABLES.map((table) => table.name);

export type ServiceNowTableName = string;

export interface ServiceNowTableSpec {
  readonly name: ServiceNowTableName;
  readonly label: string;
  /** Fields the gateway asks for (sys_id and the cursor field included). */
  readonly fields: readonly string[];
  /** Reference fields and the table each points to (tables outside this list included). */
  readonly references: Readonly<Record<string, string>>;
  /** Keyset cursor: journal entries are written once and only carry sys_created_on. */
  readonly cursorField: "sys_updated_on" | "sys_created_on";
  /** Fields a user may never exclude, because the sync cannot work without them. */
  readonly requiredFields: readonly string[];
  /** Tables this one extends: their fields are defined in sys_dictionary under their names. */
  readonly parentTables?: readonly string[];
  /**
   * Journal fields of the record (comments, work notes): their entries live in
   * `sys_journal_field`, never in the record's own row. Excluding one keeps its entries out.
   */
  readonly journalFields?: readonly string[];
}

export const SERVICENOW_TABLES: Readonly<Record<ServiceNowTableName, ServiceNowTableSpec>> =
  Object.fromEntries(
    TABLES.map((table): [string, ServiceNowTableSpec] => [
      table.name,
      {
        name: table.name,
        label: table.label,
        fields: serviceNowFieldsOf(table),
        references: referencesOf(table),
        cursorField: table.cursorField,
        requiredFields: requiredFieldsOf(table),
        ...(table.parentTables === undefined ? {} : { parentTables: table.parentTables }),
        ...(table.journalFields === undefined ? {} : { journalFields: table.journalFields }),
      },
    ]),
  );

export function isServiceNowTableName(name: string): boolean {
  return (SERVICENOW_TABLE_NAMES as readonly string[]).includes(name);
}

/** Whether `field` is a journal field of `table` (its entries are `sys_journal_field` rows). */
export function isJournalField(table: string, field: string): boolean {
  return (
    isServiceNowTableName(table) && (SERVICENOW_TABLES[table].journalFields ?? []).includes(field)
  );
}
