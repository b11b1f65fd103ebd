import type { DataSource, Repository } from "typeorm";

import { type ConnectionResult, keysetConnection } from "../../database/keyset";
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
    return keysetConnection(filtered, {
      keys: [{ property: "startedAt", direction: "DESC", nullable: false, kind: "date" }],
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
    });
  }
}
