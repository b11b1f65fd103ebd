import { Arg, Args, Authorized, ID, Mutation, Query, Resolver } from "type-graphql";

import { ConnectionType } from "../../graphql/pagination/connection.type";
import type { SyncService } from "../../sync/sync.service";
import { SyncRun } from "../../sync/sync-run.entity";
import { SyncTrigger } from "../../sync/sync-run.enums";
import { SyncRunsArgs } from "./sync-run.args";
import type { SyncRunService } from "./sync-run.service";

export const SyncRunConnection = ConnectionType(SyncRun, "SyncRun");

@Resolver(() => SyncRun)
export class SyncRunResolver {
  constructor(
    private readonly syncRunService: SyncRunService,
    private readonly syncService: SyncService,
  ) {}

  @Authorized("admin")
  @Mutation(() => SyncRun, {
    description:
      "Starts a sync (or returns the one already running); poll syncRuns or integration.lastSyncRun for progress. full re-reads every record and reconciles deletes.",
  })
  async syncIntegration(
    @Arg("id", () => ID) id: string,
    @Arg("full", () => Boolean, { defaultValue: false }) full: boolean,
  ): Promise<SyncRun> {
    const run = await this.syncService.start(id, { trigger: SyncTrigger.MANUAL, full });
    // Only scheduler calls (onlyIfDue) can yield no run.
    return run!;
  }

  @Query(() => SyncRunConnection, { description: "Sync history, newest first." })
  async syncRuns(@Args() args: SyncRunsArgs): Promise<InstanceType<typeof SyncRunConnection>> {
    return new SyncRunConnection(await this.syncRunService.list(args));
  }
}
