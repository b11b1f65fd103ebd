import type {
  ChoiceEnum,
  ColumnDescriptor,
  FilterOptions,
  IntegrationRelation,
  JournalRelation,
  LabelColumn,
  ToManyRelation,
} from "./table.descriptor";

/** What every column builder accepts. */
interface ColumnOptions {
  readonly property: string;
  readonly description?: string;
  readonly required?: boolean;
  /** `true` for a filter named after the property. */
  readonly filter?: FilterOptions | true;
  readonly order?: string;
}

function column(
  field: string,
  type: ColumnDescriptor["type"],
  options: ColumnOptions,
  extra: Partial<ColumnDescriptor> = {},
): ColumnDescriptor {
  const { filter, ...rest } = options;
  return {
    field,
    type,
    ...rest,
    ...(filter === undefined ? {} : { filter: filter === true ? {} : filter }),
    ...extra,
  };
}

/** A string column: varchar(length), or unbounded text without a length. */
export function text(
  field: string,
  options: ColumnOptions & { readonly length?: number },
): ColumnDescriptor {
  const { length, ...rest } = options;
  return column(field, "text", rest, length === undefined ? {} : { length });
}

export function integer(
  field: string,
  options: ColumnOptions & { readonly label?: LabelColumn },
): ColumnDescriptor {
  const { label, ...rest } = options;
  return column(field, "integer", rest, label === undefined ? {} : { label });
}

export function boolean(field: string, options: ColumnOptions): ColumnDescriptor {
  return column(field, "boolean", options);
}

export function dateTime(field: string, options: ColumnOptions): ColumnDescriptor {
  return column(field, "dateTime", options);
}

/**
 * A sys_id of `table`. With `relation`, the record gains a to-one field of that name (the
 * table must be one the gateway reads).
 */
export function reference(
  field: string,
  table: string,
  options: ColumnOptions & {
    readonly relation?: string | { readonly name: string; readonly description?: string };
    readonly fallback?: ColumnDescriptor["fallback"];
  },
): ColumnDescriptor {
  const { relation, fallback, ...rest } = options;
  return column(field, "reference", rest, {
    length: 32,
    references: table,
    ...(relation === undefined
      ? {}
      : { relation: typeof relation === "string" ? { name: relation } : relation }),
    ...(fallback === undefined ? {} : { fallback }),
  });
}

/** A choice: its raw value (varchar 40), its known values as an enum, its label beside it. */
export function choice(
  field: string,
  options: ColumnOptions & { readonly choice: ChoiceEnum; readonly label?: LabelColumn },
): ColumnDescriptor {
  const { choice: values, label, ...rest } = options;
  return column(field, "choice", rest, {
    length: 40,
    choice: values,
    ...(label === undefined ? {} : { label }),
  });
}

/**
 * sys_id and the two timestamps, filterable as createdAt/updatedAt and sortable as
 * CREATED_AT/UPDATED_AT when asked. A write-once table (journal entries) has no
 * sys_updated_on: its update time is read from sys_created_on.
 */
export function recordColumns(
  options: { readonly listed?: boolean; readonly writeOnce?: boolean } = {},
): ColumnDescriptor[] {
  const listed = options.listed ?? false;
  return [
    text("sys_id", {
      property: "sysId",
      length: 32,
      required: true,
      description: "ServiceNow sys_id (32 hex characters).",
    }),
    dateTime("sys_created_on", {
      property: "sysCreatedOn",
      required: true,
      ...(listed ? { filter: { name: "createdAt" }, order: "CREATED_AT" } : {}),
    }),
    dateTime(options.writeOnce ? "sys_created_on" : "sys_updated_on", {
      property: "sysUpdatedOn",
      required: true,
      ...(listed ? { filter: { name: "updatedAt" }, order: "UPDATED_AT" } : {}),
    }),
  ];
}

export function toMany(
  name: string,
  table: string,
  foreignKey: string,
  options: { readonly orderBy: ToManyRelation["orderBy"]; readonly description?: string },
): ToManyRelation {
  return { kind: "toMany", name, table, foreignKey, ...options };
}

export function journal(name = "updates"): JournalRelation {
  return { kind: "journal", name, description: "Comments and work notes, newest first." };
}

export function integration(): IntegrationRelation {
  return { kind: "integration", name: "integration" };
}
