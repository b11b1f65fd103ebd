import { registerEnumType } from "type-graphql";

/** RecordChangeOperation (record-change.event.ts) as a GraphQL enum: the same strings. */
export enum RecordChangeOperationEnum {
  INSERT = "INSERT",
  UPDATE = "UPDATE",
  DELETE = "DELETE",
}

/** RecordChangeSource as a GraphQL enum: the same strings. */
export enum RecordChangeSourceEnum {
  SYNC = "SYNC",
  WEBHOOK = "WEBHOOK",
}

registerEnumType(RecordChangeOperationEnum, {
  name: "RecordChangeOperation",
  description: "What happened to the records, as committed to the cache.",
  valuesConfig: {
    INSERT: { description: "Records new to the cache." },
    UPDATE: { description: "Records the cache already held, overwritten." },
    DELETE: { description: "Records removed from the cache (deleted in ServiceNow)." },
  },
});

registerEnumType(RecordChangeSourceEnum, {
  name: "RecordChangeSource",
  description: "Who committed the change.",
  valuesConfig: {
    SYNC: { description: "A page of a sync run (or its delete reconciliation)." },
    WEBHOOK: { description: "A ServiceNow push, fetched and upserted (or deleted)." },
  },
});
