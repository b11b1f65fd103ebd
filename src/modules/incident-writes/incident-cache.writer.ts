import type { DataSource } from "typeorm";

import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import { query, type RawRecord, type ServiceNowClient, type WriteParams } from "../../servicenow";
import { RowUpserter } from "../../sync/row-upserter";
import { SyncFieldsCache } from "../../sync/sync-fields";
import type { SyncTable } from "../../sync/sync-table";
import { syncTableOf } from "../../sync/sync-tables";
import type { Integration } from "../integrations/integration.entity";

/**
 * Read-your-writes: the record ServiceNow answers a write with goes into the cache at once,
 * through the sync's own mapper and upserter, asked for with the sync's fields and display
 * mode, so the next sync finds it exactly as it would have stored it.
 */
export class IncidentCacheWriter {
  private readonly incidents: SyncTable = syncTableOf("incident");
  private readonly journal: SyncTable = syncTableOf("sys_journal_field");
  private readonly upserters = new Map<SyncTable, RowUpserter>();
  private readonly fields = new SyncFieldsCache();

  constructor(private readonly dataSource: DataSource) {}

  /** What a write asks ServiceNow to answer with: the fields and shape the sync reads. */
  async answerShape(integration: Integration, client: ServiceNowClient): Promise<WriteParams> {
    return {
      fields: await this.fieldsOf(this.incidents, integration, client),
      displayValue: "all",
      excludeReferenceLink: true,
    };
  }

  /** Upserts the written incident and its journal entries; returns the cached row. */
  async store(
    integration: Integration,
    client: ServiceNowClient,
    raw: RawRecord,
    withJournal: boolean,
  ): Promise<ServiceNowRecordEntity> {
    const syncedAt = new Date();
    const row = this.incidents.map(raw, { integrationId: integration.id, syncedAt });
    const journalRows = withJournal ? await this.journalRows(integration, client, row.sysId) : [];
    await this.dataSource.transaction(async (manager) => {
      await this.upserter(this.incidents).upsert(manager, [row]);
      if (journalRows.length > 0) {
        await this.upserter(this.journal).upsert(manager, journalRows);
      }
    });
    return this.cachedIncident(integration.id, row.sysId);
  }

  /** The cached incident, or null when the cache does not hold it. */
  async findIncident(integrationId: string, sysId: string): Promise<ServiceNowRecordEntity | null> {
    return this.dataSource
      .getRepository<ServiceNowRecordEntity>(this.incidents.entity)
      .findOneBy({ integrationId, sysId });
  }

  /** Fetches one incident from the instance (sync shape) and caches it. */
  async refresh(
    integration: Integration,
    client: ServiceNowClient,
    sysId: string,
  ): Promise<ServiceNowRecordEntity> {
    const shape = await this.answerShape(integration, client);
    const { record } = await client.getRecord("incident", sysId, shape);
    return this.store(integration, client, record, true);
  }

  private async cachedIncident(integrationId: string, sysId: string) {
    const row = await this.findIncident(integrationId, sysId);
    if (row === null) {
      throw new Error(`The incident ${sysId} was upserted but cannot be read back`);
    }
    return row;
  }

  /** The journal entries of one incident the sync would hold (its scope, minus exclusions). */
  private async journalRows(integration: Integration, client: ServiceNowClient, sysId: string) {
    // The sync's journal scope, for this one incident: its journal fields not excluded.
    const skipped = excludedOf(integration, "incident");
    const elements = (this.incidents.spec.journalFields ?? []).filter((f) => !skipped.has(f));
    if (elements.length === 0) {
      return [];
    }
    const condition = query()
      .where("element_id", "=", sysId)
      .and("name", "=", "incident")
      .andIn("element", elements);
    const page = await client.getRecords("sys_journal_field", {
      query: condition,
      fields: await this.fieldsOf(this.journal, integration, client),
      displayValue: "all",
      excludeReferenceLink: true,
      limit: 200,
      noCount: true,
    });
    const syncedAt = new Date();
    return page.records.map((raw) =>
      this.journal.map(raw, { integrationId: integration.id, syncedAt }),
    );
  }

  private fieldsOf(
    table: SyncTable,
    integration: Integration,
    client: ServiceNowClient,
  ): Promise<string[]> {
    const excluded = excludedOf(integration, table.spec.name);
    return this.fields.fieldsOf(table.spec, integration.id, excluded, client);
  }

  private upserter(table: SyncTable): RowUpserter {
    let upserter = this.upserters.get(table);
    if (!upserter) {
      upserter = new RowUpserter(this.dataSource, table.entity);
      this.upserters.set(table, upserter);
    }
    return upserter;
  }
}

function excludedOf(integration: Integration, table: string): ReadonlySet<string> {
  return new Set(integration.excludedFields.find((entry) => entry.table === table)?.fields ?? []);
}
