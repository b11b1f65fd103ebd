import { Field, Int, ObjectType } from "type-graphql";

import type { Incident } from "../incidents/incident.entity";
import { INCIDENT_TABLE } from "../incidents/incident.table";
import { recordTypeOf } from "../records/record-types";

@ObjectType({ description: "What a write did, and how much of today's allowance is left." })
export class IncidentWriteResult {
  @Field(() => recordTypeOf(INCIDENT_TABLE), {
    description: "The incident as now cached (read-your-writes).",
  })
  incident: Incident;

  @Field({
    description:
      "True when this request created the incident; false when its correlationId had already created it.",
  })
  created: boolean;

  @Field(() => Int, { description: "Transactions used today (UTC), this one included." })
  transactionsToday: number;

  @Field(() => Int, {
    nullable: true,
    description: "Left today under expectedTransactionsPerDay; null when no cap is set.",
  })
  transactionsLeftToday: number | null;
}
