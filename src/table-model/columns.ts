import type {
  ChoiceEnum,
  ColumnDescriptor,
  ColumnType,
  FilterOptions,
  IntegrationRelation,
  JournalRelation,
  LabelColumn,
  ToManyRelation,
} from "./table.descriptor";

/**
 * A column as its builder returns it: the descriptor, with its property name, type, NOT NULL
 * and label property kept as literal types so that row types can be derived from a
 * descriptor (`RecordRow` in `src/database/record-row.type.ts`).
 */
export type TypedColumn<
  P extends string,
  T extends ColumnType,
  R extends boolean = false,
  L extends string = never,
> = ColumnDescriptor & {
  readonly property: P;
  readonly type: T;
  readonly required?: R;
  readonly label?: LabelColumn & { readonly property: L };
};

/** What every column builder accepts. */
interface ColumnOptions<P extends string = string, R extends boolean = false> {
  readonly property: P;
  readonly description?: string;
  readonly required?: R;
  /** `true` for a filter named after the property. */
  readonly filter?: FilterOptions | true;
  readonly order?: string;
  readonly dimension?: boolean;
}

/** What a builder adds to the common options: never the property, type or NOT NULL. */
type ColumnExtra<L extends string> = Partial<
  Pick<ColumnDescriptor, "fallback" | "length" | "references" | "relation" | "choice">
> & { readonly label?: LabelColumn & { readonly property: L } };

function column<P extends string, T extends ColumnType, R extends boolean, L extends string>(
  field: string,
  type: T,
  options: ColumnOptions<P, R>,
  extra: ColumnExtra<L> = {},
): TypedColumn<P, T, R, L> {
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
export function text<P extends string, R extends boolean = false>(
  field: string,
  options: ColumnOptions<P, R> & { readonly length?: number },
): TypedColumn<P, "text", R> {
  const { length, ...rest } = options;
  return column(field, "text", rest, length === undefined ? {} : { length });
}

export function integer<P extends string, L extends string = never>(
  field: string,
  options: ColumnOptions<P> & { readonly label?: LabelColumn & { readonly property: L } },
): TypedColumn<P, "integer", false, L> {
  const { label, ...rest } = options;
  return column(field, "integer", rest, label === undefined ? {} : { label });
}

export function boolean<P extends string>(
  field: string,
  options: ColumnOptions<P>,
): TypedColumn<P, "boolean"> {
  return column(field, "boolean", options);
}

export function dateTime<P extends string, R extends boolean = false>(
  field: string,
  options: ColumnOptions<P, R>,
): TypedColumn<P, "dateTime", R> {
  return column(field, "dateTime", options);
}

/**
 * A sys_id of `table`. With `relation`, the record gains a to-one field of that name (the
 * table must be one the gateway reads).
 */
export function reference<P extends string>(
  field: string,
  table: string,
  options: ColumnOptions<P> & {
    readonly relation?: string | { readonly name: string; readonly description?: string };
    readonly fallback?: ColumnDescriptor["fallback"];
  },
): TypedColumn<P, "reference"> {
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
export function choice<P extends string, L extends string = never>(
  field: string,
  options: ColumnOptions<P> & {
    readonly choice: ChoiceEnum;
    readonly label?: LabelColumn & { readonly property: L };
  },
): TypedColumn<P, "choice", false, L> {
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
): [
  TypedColumn<"sysId", "text", true>,
  TypedColumn<"sysCreatedOn", "dateTime", true>,
  TypedColumn<"sysUpdatedOn", "dateTime", true>,
] {
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
