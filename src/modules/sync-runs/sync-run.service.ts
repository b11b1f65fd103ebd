import type { DataSource, Repository } from "typeorm";

import {
  type ConnectionResult,
  keysetConnection,
  orderingSignature,
  type SortKey,
} from "../../database/keyset";
import { cursorScopeOf } from "../../database/keyset-cursor";
import { whereEquals } from "../../database/query-filters";
import { pageSize } from "../../graphql/pagination/order-keys";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import { SyncRun } from "../../sync/sync-run.entity";
import type { SyncRunsArgs } from "./sync-run.args";

export class SyncRunService {
  private readonly runs: Repository<SyncRun>;

  constructor(dataSource: DataSource) {
    this.runs = dataSource.getRepository(SyncRun);
  }

  /** Newest first. */
  async list(args: SyncRunsArgs): Promise<ConnectionResult<SyncRun>> {
    const filtered = () => {
      const query = this.runs.createQueryBuilder("run");
      whereEquals(query, "integrationId", args.integrationId, "integrationId");
      return query;
    };
    const keys: SortKey[] = [
      { property: "startedAt", direction: "DESC", nullable: false, kind: "date" },
    ];
    return keysetConnection(filtered, {
      keys,
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
      scope: cursorScopeOf({
        table: "sync_run",
        integrationId: args.integrationId,
        filter: {},
        ordering: orderingSignature(keys),
      }),
    });
  }
}
