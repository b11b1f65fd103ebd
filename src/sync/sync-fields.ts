import { fetchTableFields, type ServiceNowClient, type ServiceNowTableSpec } from "../servicenow";

/**
 * The fields a table's pages ask for: the mapped ones and every field the instance's dictionary
 * lists (custom ones land in `attributes`), minus the excluded ones and the journal fields (whose
 * entries are journal rows of their own, never attributes of the record). `discovered` is null
 * when sys_dictionary is not readable: the mapped fields are then still complete.
 */
export function syncFieldsOf(
  spec: ServiceNowTableSpec,
  discovered: readonly string[] | null,
  excluded: ReadonlySet<string>,
): string[] {
  const journal = new Set(spec.journalFields ?? []);
  return [...new Set([...spec.fields, ...(discovered ?? [])])].filter(
    (field) => !excluded.has(field) && !journal.has(field),
  );
}

/** Dictionary reads are kept this long by writers outside the sync (webhooks, incident writes). */
const DISCOVERED_FIELDS_TTL_MS = 10 * 60_000;

/**
 * The fields a table's targeted fetches ask for, as the sync would (`syncFieldsOf`), with each
 * integration's dictionary read kept for ten minutes: writers that fetch a few records at a time
 * would otherwise read sys_dictionary before every fetch.
 */
export class SyncFieldsCache {
  private readonly discovered = new Map<string, { fields: string[] | null; at: number }>();

  async fieldsOf(
    spec: ServiceNowTableSpec,
    integrationId: string,
    excluded: ReadonlySet<string>,
    client: ServiceNowClient,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const key = `${integrationId}/${spec.name}`;
    let entry = this.discovered.get(key);
    if (entry === undefined || Date.now() - entry.at > DISCOVERED_FIELDS_TTL_MS) {
      entry = {
        fields: await fetchTableFields(client, spec.name, spec.parentTables, signal),
        at: Date.now(),
      };
      this.discovered.set(key, entry);
    }
    return syncFieldsOf(spec, entry.fields, excluded);
  }
}
