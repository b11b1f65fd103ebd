import { type DataSource, type EntityManager, In } from "typeorm";

import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import type { Logger } from "../../logging/logger";
import {
  type EncodedQuery,
  pageRecords,
  query,
  type RawRecord,
  type RetryOptions,
  type ServiceNowClient,
} from "../../servicenow";
import { RowUpserter } from "../../sync/row-upserter";
import { SyncFieldsCache } from "../../sync/sync-fields";
import type { MappedRow, SyncTable } from "../../sync/sync-table";
import { syncTableOf } from "../../sync/sync-tables";
import type { Integration } from "../integrations/integration.entity";
import type { IntegrationService } from "../integrations/integration.service";
import type { IntegrationConnectionFactory } from "../integrations/integration-connection.factory";
import type {
  RecordChangeOperation,
  RecordChangePublisher,
} from "../record-changes/record-change.event";
import type { WebhookOperation } from "./webhook.notification";

/** sys_ids per Table API request: 100 × 33 characters keeps the URL near 4 KB. */
export const SYS_IDS_PER_REQUEST = 100;
/** Journal entries asked for in one request; a fuller answer is paged by keyset instead. */
const JOURNAL_PAGE = 1000;

/** The notifications of one (integration, table) group, as the coalescer hands them over. */
export interface WebhookBatch {
  readonly integrationId: string;
  readonly table: string;
  /** Per sys_id: the latest operation reported and when its first notification arrived. */
  readonly changes: ReadonlyMap<string, { operation: WebhookOperation; receivedAt: number }>;
}

export interface WebhookWriterSettings {
  readonly timeoutMs: number;
  readonly retry: Partial<RetryOptions>;
  readonly pageSize: number;
}

/** What the writer reports to the metrics. */
export interface WebhookWriterMetrics {
  webhookFetched(): void;
  webhookCommitted(seconds: number): void;
}

/**
 * Turns a batch of notifications into what the sync would have stored: one targeted fetch per
 * 100 sys_ids (`sys_idIN…`, the sync's fields, display values and scope, excluded fields never
 * asked for), their journal entries, one transaction of upserts through the sync's upserter,
 * then the changes published. A delete removes a record only when the fetch shows ServiceNow no
 * longer has it. Watermarks are never touched: the next incremental run corrects anything lost.
 */
export class WebhookRecordsWriter {
  private readonly upserters = new Map<SyncTable, RowUpserter>();
  private readonly fields = new SyncFieldsCache();
  private readonly journal: SyncTable = syncTableOf("sys_journal_field");

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationService,
    private readonly connections: IntegrationConnectionFactory,
    private readonly publisher: RecordChangePublisher,
    private readonly settings: WebhookWriterSettings,
    private readonly metrics: WebhookWriterMetrics,
    private readonly logger: Logger,
  ) {}

  async apply(batch: WebhookBatch, signal: AbortSignal): Promise<void> {
    const integration = await this.integrations.get(batch.integrationId);
    if (integration === null || !integration.enabled) {
      // Deleted since the notification was accepted, or disabled (the sync skips it too).
      return;
    }
    const table = syncTableOf(batch.table);
    const excluded = (name: string) => excludedOf(integration, name);
    const scope = table.scope?.(excluded);
    if (scope === null) {
      // As the sync: everything this table would hold is excluded, nothing is read.
      return;
    }
    const client = await this.connections.client(integration, {
      timeoutMs: this.settings.timeoutMs,
      retry: this.settings.retry,
    });
    const fields = await this.fieldsOf(table, integration, client, signal);
    const ids = [...batch.changes.keys()];
    const syncedAt = new Date();
    const rows: MappedRow[] = [];
    for (let start = 0; start < ids.length; start += SYS_IDS_PER_REQUEST) {
      const chunk = ids.slice(start, start + SYS_IDS_PER_REQUEST);
      const page = await client.getRecords(table.spec.name, {
        query: sysIdQuery(scope, chunk),
        fields,
        limit: chunk.length,
        displayValue: "all",
        excludeReferenceLink: true,
        noCount: true,
        signal,
      });
      this.metrics.webhookFetched();
      for (const raw of page.records) {
        rows.push(table.map(raw, { integrationId: integration.id, syncedAt }));
      }
    }
    const present = new Set(rows.map((row) => row.sysId));
    const journalRows = await this.journalRowsOf(table, integration, client, [...present], signal);
    const gone = ids.filter(
      (sysId) => batch.changes.get(sysId)?.operation === "delete" && !present.has(sysId),
    );
    const changes: Array<{ table: string; sysIds: string[]; operation: RecordChangeOperation }> =
      [];
    await this.dataSource.transaction(async (manager) => {
      const cached = await cachedVersions(manager, table, integration.id, [...present, ...gone]);
      // A fetch that raced a newer write (a sync page, another replica's fetch) loses.
      const newer = rows.filter((row) => !isOlder(row, cached.get(row.sysId)));
      if (newer.length > 0) {
        await this.upserter(table).upsert(manager, newer);
      }
      const removed = gone.filter((sysId) => cached.has(sysId));
      for (let start = 0; start < removed.length; start += 500) {
        await manager.delete(table.entity, {
          integrationId: integration.id,
          sysId: In(removed.slice(start, start + 500)),
        });
      }
      changes.push(
        ...split(
          table.spec.name,
          newer.map((row) => row.sysId),
          cached,
        ),
        { table: table.spec.name, sysIds: removed, operation: "DELETE" },
      );
      if (journalRows.length > 0) {
        const journalIds = journalRows.map((row) => row.sysId);
        const cachedJournal = await cachedVersions(
          manager,
          this.journal,
          integration.id,
          journalIds,
        );
        await this.upserter(this.journal).upsert(manager, journalRows);
        changes.push(...split(this.journal.spec.name, journalIds, cachedJournal));
      }
    });
    const committedAt = new Date();
    for (const change of changes) {
      if (change.sysIds.length > 0) {
        this.publisher.publish({
          integrationId: integration.id,
          ...change,
          source: "WEBHOOK",
          syncRunId: null,
          committedAt,
        });
      }
    }
    for (const { receivedAt } of batch.changes.values()) {
      this.metrics.webhookCommitted((committedAt.getTime() - receivedAt) / 1000);
    }
    this.logger.debug(
      {
        integrationId: integration.id,
        table: table.spec.name,
        notified: ids.length,
        fetched: rows.length,
        journal: journalRows.length,
        deleted: changes.find((change) => change.operation === "DELETE")?.sysIds.length ?? 0,
      },
      "webhook notifications applied",
    );
  }

  /**
   * The journal entries of the fetched records the sync would hold: their table's journal
   * fields minus excluded ones, one request per 100 records (paged when an answer is full).
   */
  private async journalRowsOf(
    table: SyncTable,
    integration: Integration,
    client: ServiceNowClient,
    sysIds: readonly string[],
    signal: AbortSignal,
  ): Promise<MappedRow[]> {
    const skipped = excludedOf(integration, table.spec.name);
    const elements = (table.spec.journalFields ?? []).filter((field) => !skipped.has(field));
    if (elements.length === 0 || sysIds.length === 0) {
      return [];
    }
    const fields = await this.fieldsOf(this.journal, integration, client, signal);
    const syncedAt = new Date();
    const rows: MappedRow[] = [];
    const mapAll = (records: readonly RawRecord[]) => {
      for (const raw of records) {
        rows.push(this.journal.map(raw, { integrationId: integration.id, syncedAt }));
      }
    };
    for (let start = 0; start < sysIds.length; start += SYS_IDS_PER_REQUEST) {
      const scope = query()
        .andIn("element_id", sysIds.slice(start, start + SYS_IDS_PER_REQUEST))
        .and("name", "=", table.spec.name)
        .andIn("element", elements);
      const page = await client.getRecords(this.journal.spec.name, {
        query: scope,
        fields,
        limit: JOURNAL_PAGE,
        displayValue: "all",
        excludeReferenceLink: true,
        noCount: true,
        signal,
      });
      this.metrics.webhookFetched();
      if (page.records.length < JOURNAL_PAGE) {
        mapAll(page.records);
        continue;
      }
      // A full answer may have more behind it: read these records' entries by keyset instead.
      for await (const keyset of pageRecords(client, {
        table: this.journal.spec.name,
        fields,
        cursorField: this.journal.spec.cursorField,
        timeZone: integration.userTimeZone ?? "UTC",
        scope,
        pageSize: this.settings.pageSize,
        displayValue: "all",
        signal,
      })) {
        this.metrics.webhookFetched();
        mapAll(keyset.records);
      }
    }
    return rows;
  }

  private fieldsOf(
    table: SyncTable,
    integration: Integration,
    client: ServiceNowClient,
    signal: AbortSignal,
  ): Promise<string[]> {
    const excluded = excludedOf(integration, table.spec.name);
    return this.fields.fieldsOf(table.spec, integration.id, excluded, client, signal);
  }

  private upserter(table: SyncTable): RowUpserter {
    let upserter = this.upserters.get(table);
    if (upserter === undefined) {
      upserter = new RowUpserter(this.dataSource, table.entity);
      this.upserters.set(table, upserter);
    }
    return upserter;
  }
}

/** `sys_idIN…` within each of the scope's `^NQ` groups, so the scope keeps its meaning. */
export function sysIdQuery(scope: EncodedQuery | undefined, sysIds: readonly string[]): string {
  const ids = query().andIn("sys_id", sysIds).toString();
  const groups = scope?.conditionGroups() ?? [];
  return groups.length === 0 ? ids : groups.map((group) => `${group}^${ids}`).join("^NQ");
}

function excludedOf(integration: Integration, table: string): ReadonlySet<string> {
  return new Set(integration.excludedFields.find((entry) => entry.table === table)?.fields ?? []);
}

/** The cached rows' sys_updated_on, by sys_id (absent: not cached). */
async function cachedVersions(
  manager: EntityManager,
  table: SyncTable,
  integrationId: string,
  sysIds: readonly string[],
): Promise<Map<string, Date>> {
  const cached = new Map<string, Date>();
  for (let start = 0; start < sysIds.length; start += 500) {
    const found = await manager.getRepository<ServiceNowRecordEntity>(table.entity).find({
      select: { sysId: true, sysUpdatedOn: true },
      where: { integrationId, sysId: In(sysIds.slice(start, start + 500)) },
    });
    for (const row of found) {
      cached.set(row.sysId, row.sysUpdatedOn);
    }
  }
  return cached;
}

function isOlder(row: MappedRow, cachedUpdatedOn: Date | undefined): boolean {
  return cachedUpdatedOn !== undefined && row.sysUpdatedOn.getTime() < cachedUpdatedOn.getTime();
}

/** INSERT for rows new to the cache, UPDATE for the others. */
function split(table: string, sysIds: readonly string[], cached: ReadonlyMap<string, Date>) {
  return [
    {
      table,
      sysIds: sysIds.filter((sysId) => !cached.has(sysId)),
      operation: "INSERT" as const,
    },
    { table, sysIds: sysIds.filter((sysId) => cached.has(sysId)), operation: "UPDATE" as const },
  ];
}
