import { Field, ID, ObjectType } from "type-graphql";

import { RecordChangeOperationEnum, RecordChangeSourceEnum } from "./record-change.enums";
import type { RecordChangeOperation, RecordChangeSource } from "./record-change.event";

@ObjectType({
  description:
    "Records of one table that a committed write changed: the cache already holds the change when it arrives.",
})
export class RecordsChangedEvent {
  @Field(() => ID)
  integrationId: string;

  @Field({ description: "The ServiceNow table name (incident, change_request, …)." })
  table: string;

  @Field(() => [String], { description: "The sys_ids of the changed records." })
  sysIds: string[];

  @Field(() => RecordChangeOperationEnum)
  operation: RecordChangeOperation;

  @Field(() => RecordChangeSourceEnum)
  source: RecordChangeSource;

  @Field(() => ID, {
    nullable: true,
    description: "The sync run that committed it; null for a webhook.",
  })
  syncRunId: string | null;

  @Field(() => Date, { description: "When its transaction committed." })
  committedAt: Date;
}
