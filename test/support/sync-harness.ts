import type { DatabaseConfig } from "../../src/config/config";
import type { ServiceNowRecordEntity } from "../../src/database/servicenow-record.entity";
import type { Logger } from "../../src/logging/logger";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { JOURNAL_ENTRY_TABLE } from "../../src/modules/journal-entries/journal-entry.table";
import {
  createSimulator,
  type DatasetOptions,
  type SimRecord,
  type SimRequestLogEntry,
  type Simulator,
} from "../../src/simulator";
import { SyncRun, type SyncTableCounts } from "../../src/sync/sync-run.entity";
import { SyncState } from "../../src/sync/sync-state.entity";
import type { SyncTable } from "../../src/sync/sync-table";
import { SYNC_TABLES } from "../../src/sync/sync-tables";
import { TABLES } from "../../src/tables";
import { startTestGateway, type TestGateway } from "./test-gateway";

export const SIM_USER = "svc.gateway";
export const SIM_PASSWORD = "Sim-Integration-Pa55!";

export interface SyncHarness {
  readonly simulator: Simulator;
  readonly simulatorUrl: string;
  readonly gateway: TestGateway;
  readonly integrationId: string;
  /** Starts a run through the GraphQL mutation and waits for it to finish. */
  sync(full?: boolean): Promise<SyncRun>;
  stop(): Promise<void>;
}

/**
 * A simulator with generated data, a gateway on a private database, and one ON_PREM Basic
 * integration pointing at the simulator, validated.
 */
export async function startSyncHarness(
  options: {
    dataset?: DatasetOptions;
    env?: Record<string, string>;
    timeZone?: string;
    excludedFields?: Array<{ table: string; fields: string[] }>;
    simulator?: Simulator;
    logger?: Logger;
    /** Roles of the integration user (e.g. itil, which may write incidents). */
    roles?: string[];
    /** The gateway's database instead of a private file (e.g. in-memory SQLite). */
    database?: DatabaseConfig;
  } = {},
): Promise<SyncHarness> {
  const simulator = options.simulator ?? createSimulator();
  simulator.addUser({
    userName: SIM_USER,
    password: SIM_PASSWORD,
    timeZone: options.timeZone ?? "UTC",
    webServiceAccessOnly: true,
    roles: options.roles ?? [],
  });
  if (options.dataset) {
    simulator.generate(options.dataset);
  }
  const simulatorUrl = (await simulator.start()).url;
  let gateway: TestGateway;
  try {
    gateway = await startTestGateway({
      env: { SYNC_PAGE_SIZE: "500", ...options.env },
      logger: options.logger,
      database: options.database,
    });
  } catch (error) {
    // A started simulator keeps jest alive: stop it before failing.
    await simulator.stop();
    throw error;
  }
  const created = await gateway.graphql<{ createIntegration: { id: string } }>(
    `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
    {
      input: {
        name: "simulated",
        url: simulatorUrl,
        deployment: "ON_PREM",
        username: SIM_USER,
        password: SIM_PASSWORD,
        excludedFields: options.excludedFields ?? [],
      },
    },
  );
  if (!created.body.data) {
    throw new Error(JSON.stringify(created.body.errors));
  }
  const integrationId = created.body.data.createIntegration.id;
  const validated = await gateway.graphql<{ validateConnection: { ok: boolean } }>(
    `mutation($id: ID!) { validateConnection(id: $id) { ok checks { name status message } } }`,
    { id: integrationId },
  );
  if (!validated.body.data?.validateConnection.ok) {
    throw new Error(`validation failed: ${JSON.stringify(validated.body)}`);
  }
  return {
    simulator,
    simulatorUrl,
    gateway,
    integrationId,
    async sync(full = false) {
      const started = await gateway.graphql<{ syncIntegration: { id: string } }>(
        `mutation($id: ID!, $full: Boolean) { syncIntegration(id: $id, full: $full) { id status } }`,
        { id: integrationId, full },
      );
      if (!started.body.data) {
        throw new Error(JSON.stringify(started.body.errors));
      }
      await gateway.gateway.syncService.waitFor(integrationId);
      return gateway.gateway.dataSource
        .getRepository(SyncRun)
        .findOneByOrFail({ id: started.body.data.syncIntegration.id });
    },
    async stop() {
      await gateway.stop();
      await simulator.stop();
    },
  };
}

/** The integration's excluded fields of one table. */
function excludedOf(integration: Integration, table: string): Set<string> {
  return new Set(integration.excludedFields.find((entry) => entry.table === table)?.fields ?? []);
}

/**
 * Which simulator rows a table's sync should hold, read from the descriptors rather than from
 * the sync's own scope: a table's `scope` conditions hold, and journal entries belong to a
 * journal field of a table that has it and does not exclude it.
 */
function inScope(
  table: SyncTable,
  record: Readonly<Record<string, string>>,
  integration: Integration,
): boolean {
  const descriptor = TABLES.find((candidate) => candidate.name === table.spec.name);
  const conditions = Object.entries(descriptor?.scope ?? {});
  if (!conditions.every(([field, value]) => record[field] === value)) {
    return false;
  }
  if (table.spec.name !== JOURNAL_ENTRY_TABLE.name) {
    return true;
  }
  const journaled = TABLES.find((candidate) => candidate.name === record.name);
  return (
    (journaled?.journalFields ?? []).includes(record.element) &&
    !excludedOf(integration, record.name).has(record.element)
  );
}

export interface ParityReport {
  readonly table: string;
  readonly expected: number;
  readonly actual: number;
  readonly missing: string[];
  readonly extra: string[];
  readonly different: Array<{ sysId: string; field: string; expected: unknown; actual: unknown }>;
}

const comparable = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : value;

/**
 * Every cached row equals the simulator's record, column by column (mapped the same way),
 * minus excluded fields, and no extra rows: one report per table.
 */
export async function parity(
  harness: SyncHarness,
  options: { hidden?: (table: string, record: Readonly<Record<string, string>>) => boolean } = {},
): Promise<ParityReport[]> {
  const { dataSource } = harness.gateway.gateway;
  const integration = await dataSource
    .getRepository(Integration)
    .findOneByOrFail({ id: harness.integrationId });
  const reports: ParityReport[] = [];
  for (const table of SYNC_TABLES) {
    const excluded = excludedOf(integration, table.spec.name);
    const source = harness.simulator
      .all(table.spec.name)
      .filter(
        (record) =>
          inScope(table, record, integration) && !options.hidden?.(table.spec.name, record),
      );
    const rows = await dataSource
      .getRepository<ServiceNowRecordEntity>(table.entity)
      .findBy({ integrationId: harness.integrationId });
    const cached = new Map(
      rows.map((row) => [row.sysId, row as unknown as Record<string, unknown>]),
    );
    const report: ParityReport = {
      table: table.spec.name,
      expected: source.length,
      actual: rows.length,
      missing: [],
      extra: [],
      different: [],
    };
    const sourceIds = new Set<string>();
    for (const record of source) {
      sourceIds.add(record.sys_id);
      const row = cached.get(record.sys_id);
      if (!row) {
        report.missing.push(record.sys_id);
        continue;
      }
      const visible = Object.fromEntries(
        Object.entries(record).filter(
          ([field]) => !excluded.has(field) && table.spec.fields.includes(field),
        ),
      );
      const expected = table.map(visible, {
        integrationId: harness.integrationId,
        syncedAt: new Date(0),
      }) as unknown as Record<string, unknown>;
      for (const [column, value] of Object.entries(expected)) {
        if (column === "syncedAt" || column === "attributes") {
          continue;
        }
        if (JSON.stringify(comparable(row[column])) !== JSON.stringify(comparable(value))) {
          report.different.push({
            sysId: record.sys_id,
            field: column,
            expected: value,
            actual: row[column],
          });
        }
      }
      const attributes = (row.attributes ?? {}) as Record<string, string>;
      for (const key of Object.keys(attributes)) {
        const field = key.replace(/\.display$/, "");
        if (excluded.has(field)) {
          report.different.push({
            sysId: record.sys_id,
            field: `attributes.${key}`,
            expected: undefined,
            actual: attributes[key],
          });
        }
      }
    }
    for (const sysId of cached.keys()) {
      if (!sourceIds.has(sysId)) {
        report.extra.push(sysId);
      }
    }
    reports.push(report);
  }
  return reports;
}

/** Asserts parity with readable output: only the problems, truncated. */
export function parityProblems(reports: ParityReport[]): string[] {
  return reports.flatMap((report) => [
    ...(report.missing.length
      ? [
          `${report.table}: ${report.missing.length} missing (${report.missing.slice(0, 3).join(", ")})`,
        ]
      : []),
    ...(report.extra.length
      ? [`${report.table}: ${report.extra.length} extra (${report.extra.slice(0, 3).join(", ")})`]
      : []),
    ...report.different
      .slice(0, 5)
      .map(
        (entry) =>
          `${report.table} ${entry.sysId} ${entry.field}: expected ${JSON.stringify(entry.expected)}, got ${JSON.stringify(entry.actual)}`,
      ),
  ]);
}

/** Records in the order a keyset walks them: (sys_updated_on, sys_id). */
export function inKeysetOrder(records: readonly SimRecord[]): SimRecord[] {
  return [...records].sort((a, b) =>
    a.sys_updated_on === b.sys_updated_on
      ? a.sys_id.localeCompare(b.sys_id)
      : a.sys_updated_on.localeCompare(b.sys_updated_on),
  );
}

/** One table's counts in a run (zeros when the run never reached the table). */
export function tableCounts(run: SyncRun, table: string): SyncTableCounts {
  return (
    run.tables.find((counts) => counts.table === table) ?? {
      table,
      fetched: 0,
      upserted: 0,
      deleted: 0,
    }
  );
}

/**
 * A simulator clock that follows real time shifted by whole jumps: after `advance`, every
 * stamp lands in a later second than anything written before, and log times still show the
 * real gaps between requests (Retry-After waits, backoff).
 */
export function steppedClock(simulator: Simulator): { advance(ms?: number): Date } {
  let shift = 0;
  simulator.setClock(() => new Date(Date.now() + shift));
  return {
    advance(ms = 60_000) {
      shift += ms;
      return simulator.now();
    },
  };
}

/**
 * Runs `action` once, as the first request after one matching `served` arrives at the
 * simulator, before that request is answered or meets a fault: the simulator reads its clock
 * synchronously as each request arrives, so the hook wraps the clock (`base` keeps stamping).
 * Deterministic "between two pages" timing, with no sleeps. Entries logged before the call
 * count too: clear the request log first.
 */
export function afterServed(
  simulator: Simulator,
  served: (entry: SimRequestLogEntry) => boolean,
  action: () => void,
  base: () => Date = () => new Date(),
): void {
  let fired = false;
  simulator.setClock(() => {
    if (!fired && simulator.requestLog.some(served)) {
      fired = true;
      action();
    }
    return base();
  });
}

/**
 * How many records of each table the next run will read, from the simulator's data and the
 * stored sync state, before the run: everything in scope after the committed watermark, or,
 * when the previous run read a second that was still open, everything from that second on.
 * (Written independently of the runner, so a wrong resume point shows as a count mismatch.)
 */
export async function expectedFetches(harness: SyncHarness): Promise<Record<string, number>> {
  const { dataSource } = harness.gateway.gateway;
  const integration = await dataSource
    .getRepository(Integration)
    .findOneByOrFail({ id: harness.integrationId });
  const states = await dataSource
    .getRepository(SyncState)
    .findBy({ integrationId: harness.integrationId });
  const counts: Record<string, number> = {};
  for (const table of SYNC_TABLES) {
    const state = states.find((entry) => entry.tableName === table.spec.name);
    const field = table.spec.cursorField;
    const toMs = (value: string) => Date.parse(`${value.replace(" ", "T")}Z`);
    const records = harness.simulator
      .all(table.spec.name)
      .filter((record) => inScope(table, record, integration));
    if (!state?.watermarkTime || !state.watermarkSysId) {
      counts[table.spec.name] = records.length;
      continue;
    }
    const watermarkMs = state.watermarkTime.getTime();
    const openSecondMs = state.overlapFrom
      ? Math.floor(state.overlapFrom.getTime() / 1000) * 1000
      : null;
    counts[table.spec.name] = records.filter((record) => {
      const ms = toMs(record[field]);
      if (openSecondMs !== null && openSecondMs <= watermarkMs) {
        return ms >= openSecondMs;
      }
      return ms > watermarkMs || (ms === watermarkMs && record.sys_id > state.watermarkSysId!);
    }).length;
  }
  return counts;
}
