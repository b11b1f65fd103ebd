import { type EntityManager, In } from "typeorm";

import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import { JournalEntry } from "../modules/journal-entries/journal-entry.entity";
import type { SyncTable } from "./sync-table";

/**
 * Forgets what was stored for fields that have just been excluded: their typed columns become
 * NULL and their keys (and display values) leave `attributes`; an excluded journal field
 * (comments, work notes) takes every journal entry of that element of the table with it.
 * Field names are validated ServiceNow names; they are still passed as parameters, never spliced.
 */
export async function purgeExcludedFields(
  manager: EntityManager,
  integrationId: string,
  table: SyncTable,
  excludedFields: readonly string[],
): Promise<void> {
  const journal = excludedFields.filter((field) => table.spec.journalFields?.includes(field));
  if (journal.length > 0) {
    await manager.delete(JournalEntry, {
      integrationId,
      tableName: table.spec.name,
      element: In(journal),
    });
  }
  const fields = excludedFields.filter((field) => !journal.includes(field));
  if (fields.length === 0) {
    return;
  }
  const metadata = manager.connection.getMetadata(table.entity);
  const repository = manager.getRepository<ServiceNowRecordEntity>(table.entity);
  const nulls: Record<string, null> = {};
  for (const field of fields) {
    const property = table.columns[field];
    if (property) {
      nulls[property] = null;
    }
    for (const derived of table.derivedColumns?.[field] ?? []) {
      nulls[derived] = null;
    }
  }
  if (Object.keys(nulls).length > 0) {
    await repository.update({ integrationId }, nulls);
  }
  const keys = fields.flatMap((field) => [field, `${field}.display`]);
  const tableName = metadata.tableName;
  if (manager.connection.options.type === "postgres") {
    const removals = keys.map((_key, index) => ` - $${index + 2}::text`).join("");
    await manager.query(
      `UPDATE ${tableName} SET attributes = attributes${removals} WHERE integration_id = $1`,
      [integrationId, ...keys],
    );
  } else {
    const paths = keys.map((key) => `$."${key}"`);
    await manager.query(
      `UPDATE ${tableName} SET attributes = json_remove(attributes, ${paths.map(() => "?").join(", ")}) WHERE integration_id = ?`,
      [...paths, integrationId],
    );
  }
}
