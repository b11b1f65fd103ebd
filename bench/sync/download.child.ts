import { performance } from "node:perf_hooks";

import { createLogger } from "../../src/logging/logger";
import {
  BasicAuthProvider,
  fetchTableFields,
  pageRecords,
  pageSysIds,
  ServiceNowClient,
} from "../../src/servicenow";
import { SYNC_TABLES } from "../../src/sync/sync-tables";
import { runChild, serveParent } from "../support/child-process";
import { type DownloadResult, PAGE_SIZE, SIM_PASSWORD, SIM_USER } from "./sync-bench.types";

/**
 * The sync's floor: merely downloading the pages a full sync requests — each table's field list
 * from the dictionary, its keyset pages (same fields, scope, page size, display values and time
 * zone as SyncRunner) and the sys_id pages of delete reconciliation — through the same
 * ServiceNowClient, parsing the JSON and nothing more. Keep in step with SyncRunner.syncTable.
 * argv: <simulator url>
 */
runChild(async () => {
  const instanceUrl = process.argv[2];
  const client = new ServiceNowClient({
    instanceUrl,
    auth: new BasicAuthProvider(SIM_USER, SIM_PASSWORD),
    logger: createLogger("warn"),
  });
  serveParent(
    {},
    {
      download: async (): Promise<DownloadResult> => {
        const started = performance.now();
        let records = 0;
        let requests = 0;
        for (const table of SYNC_TABLES) {
          // The runner's field list: the mapped fields plus every field the dictionary lists.
          const discovered = await fetchTableFields(
            client,
            table.spec.name,
            table.spec.parentTables,
          );
          const fields = [...new Set([...table.spec.fields, ...(discovered ?? [])])];
          for await (const page of pageRecords(client, {
            table: table.spec.name,
            fields,
            cursorField: table.spec.cursorField,
            timeZone: "UTC",
            scope: table.scope?.(() => new Set()) ?? undefined,
            pageSize: PAGE_SIZE,
            displayValue: "all",
          })) {
            records += page.records.length;
            requests += 1;
          }
          for await (const page of pageSysIds(client, {
            table: table.spec.name,
            scope: table.scope?.(() => new Set()) ?? undefined,
            pageSize: Math.max(PAGE_SIZE, 1000),
          })) {
            requests += page.sysIds.length > 0 ? 1 : 0;
          }
        }
        return { ms: performance.now() - started, records, requests };
      },
    },
  );
});
