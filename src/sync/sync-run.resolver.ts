import { Args, Query, Resolver } from "type-graphql";

import { ConnectionType } from "../graphql/pagination/connection.type";
import { SyncRunsArgs } from "./sync-run.args";
import { SyncRun } from "./sync-run.entity";
import type { SyncRunService } from "./sync-run.service";

export const SyncRunConnection = ConnectionType(SyncRun, "SyncRun");

@Resolver(() => SyncRun)
export class SyncRunResolver {
  constructor(private readonly syncRunService: SyncRunService) {}

  @Query(() => SyncRunConnection, { description: "Sync history, newest first." })
  async syncRuns(@Args() args: SyncRunsArgs): Promise<InstanceType<typeof SyncRunConnection>> {
    return new SyncRunConnection(await this.syncRunService.list(args));
  }
}
