import { GraphQLDateTime } from "graphql-scalars";
import { ArgsType, type ClassType, Field, ID, InputType, registerEnumType } from "type-graphql";

import { ArrayMaxSize, IsOptional, IsUUID } from "../../graphql/argument-validation";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { CHANGE_REQUEST_TABLE } from "../change-requests/change-request.table";
import { INCIDENT_TABLE } from "../incidents/incident.table";
import type { RecordFilter } from "../records/record-inputs.factory";
import { filterInputOf } from "../records/record-types";
import { bucketFieldsOf, dimensionsOf } from "./insight.dimensions";
import type { TimeIntervalName } from "./time-bucket.calendar";

/** The tables with a counts field, e.g. `incidentCounts`. */
export const COUNTED_TABLES: readonly TableDescriptor[] = [INCIDENT_TABLE, CHANGE_REQUEST_TABLE];

export const MAX_GROUP_BY = 3;

export const TimeInterval = { DAY: "DAY", WEEK: "WEEK", MONTH: "MONTH" } as const satisfies Record<
  TimeIntervalName,
  TimeIntervalName
>;
registerEnumType(TimeInterval, {
  name: "TimeInterval",
  description: "A bucket's size; weeks start on Monday in the bucket's time zone.",
});

/** Every counted table's date-times, by member (a table refuses the ones it lacks). */
export const BucketField: Readonly<Record<string, string>> = Object.fromEntries(
  COUNTED_TABLES.flatMap((table) => [...bucketFieldsOf(table).keys()]).map((name) => [name, name]),
);
registerEnumType(BucketField, {
  name: "BucketField",
  description: "The date-time a count is bucketed by.",
});

@InputType({ description: "Count per time bucket of a date-time field, in an IANA time zone." })
export class TimeBucketInput {
  @Field(() => BucketField)
  field: string;

  @Field(() => TimeInterval)
  interval: TimeIntervalName;

  @Field(() => String, { defaultValue: "UTC", description: "IANA name, e.g. Europe/Paris." })
  timeZone: string;
}

export interface CountsArgs {
  readonly integrationId?: string | null;
  readonly filter?: RecordFilter | null;
  readonly groupBy: readonly string[];
  readonly bucket?: TimeBucketInput | null;
}

function dimensionEnumOf(table: TableDescriptor): object {
  const members = Object.fromEntries(
    dimensionsOf(table).map((dimension) => [dimension.name, dimension.name]),
  );
  registerEnumType(members, {
    name: `${table.typeName}Dimension`,
    description: `What ${table.label.toLowerCase()} can be counted by.`,
  });
  return members;
}

/** `incidentCounts`' arguments: the list's filter, the dimensions, an optional bucket. */
function createCountsArgs(table: TableDescriptor): ClassType<CountsArgs> {
  const dimensions = dimensionEnumOf(table);
  const args = class implements CountsArgs {
    integrationId?: string | null;
    filter?: RecordFilter | null;
    groupBy: string[];
    bucket?: TimeBucketInput | null;
  };
  Object.defineProperty(args, "name", { value: `${table.typeName}CountsArgs` });
  Field(() => ID, { nullable: true, description: "Only this integration's records." })(
    args.prototype,
    "integrationId",
  );
  IsOptional()(args.prototype, "integrationId");
  IsUUID("all", { message: "integrationId must be an integration id (a UUID)" })(
    args.prototype,
    "integrationId",
  );
  Field(() => filterInputOf(table), { nullable: true })(args.prototype, "filter");
  Field(() => [dimensions], {
    description: `Group keys, in order (at most ${MAX_GROUP_BY}); none counts everything.`,
  })(args.prototype, "groupBy");
  ArrayMaxSize(MAX_GROUP_BY, { message: `groupBy accepts at most ${MAX_GROUP_BY} dimensions` })(
    args.prototype,
    "groupBy",
  );
  Field(() => TimeBucketInput, { nullable: true })(args.prototype, "bucket");
  ArgsType()(args);
  return args;
}

export const IncidentCountsArgs = createCountsArgs(INCIDENT_TABLE);
export const ChangeRequestCountsArgs = createCountsArgs(CHANGE_REQUEST_TABLE);

@ArgsType()
export class DoraArgs {
  @Field(() => ID, { nullable: true, description: "Only this integration's records." })
  @IsOptional()
  @IsUUID("all", { message: "integrationId must be an integration id (a UUID)" })
  integrationId?: string | null;

  @Field(() => GraphQLDateTime, { description: "Window start (inclusive)." })
  from: Date;

  @Field(() => GraphQLDateTime, { description: "Window end (exclusive)." })
  to: Date;

  @Field(() => TimeInterval, {
    nullable: true,
    description: "The series' buckets; no series without.",
  })
  bucket?: TimeIntervalName | null;

  @Field(() => String, { defaultValue: "UTC", description: "IANA name of the buckets' zone." })
  timeZone: string;
}
