import { Args, Query, Resolver } from "type-graphql";

import type { DoraService } from "./dora.service";
import {
  ChangeRequestCountsArgs,
  type CountsArgs,
  DoraArgs,
  IncidentCountsArgs,
} from "./insight.args";
import { CountGroup, DoraReport } from "./insight.types";
import type { RecordCountsService } from "./record-counts.service";

/** Counts and DORA metrics, computed in the database; viewers may read them. */
@Resolver()
export class InsightsResolver {
  constructor(
    private readonly incidentCountsService: RecordCountsService,
    private readonly changeRequestCountsService: RecordCountsService,
    private readonly doraService: DoraService,
  ) {}

  @Query(() => [CountGroup], {
    description:
      "Incidents counted by dimensions and an optional time bucket (the list's filter applies).",
  })
  incidentCounts(@Args(() => IncidentCountsArgs) args: CountsArgs): Promise<CountGroup[]> {
    return this.incidentCountsService.count(args);
  }

  @Query(() => [CountGroup], {
    description:
      "Change requests counted by dimensions and an optional time bucket (the list's filter applies).",
  })
  changeRequestCounts(
    @Args(() => ChangeRequestCountsArgs) args: CountsArgs,
  ): Promise<CountGroup[]> {
    return this.changeRequestCountsService.count(args);
  }

  @Query(() => DoraReport, {
    description:
      "DORA metrics over [from, to) from closed changes and the incidents linked to them.",
  })
  dora(@Args() args: DoraArgs): Promise<DoraReport> {
    return this.doraService.report(args);
  }
}
