/**
 * The shape of a table descriptor: one ServiceNow table described once, as plain data. The
 * sync, the entity schema, the GraphQL types, the read plans, the excluded-fields check, the
 * preflight and the simulator are all derived from these descriptors (see `src/tables.ts`).
 *
 * A descriptor imports nothing from GraphQL, TypeORM or the connector: every layer may read it.
 */

/** How a column's ServiceNow value is read and stored. */
export type ColumnType = "text" | "integer" | "boolean" | "dateTime" | "choice" | "reference";

/** The keyset cursor: journal entries are written once and only carry sys_created_on. */
export type CursorField = "sys_updated_on" | "sys_created_on";

export interface FilterOptions {
  /** The filter input's field name; the column's property when omitted. */
  readonly name?: string;
  readonly description?: string;
}

/** A choice column's known values, as a GraphQL enum beside the raw value. */
export interface ChoiceEnum {
  /** GraphQL enum name, e.g. IncidentState. */
  readonly name: string;
  /** The computed enum field, e.g. `state` (null for a value the instance added). */
  readonly property: string;
  readonly description?: string;
  /** Enum member → ServiceNow raw value, in the instance's workflow order. */
  readonly values: Readonly<Record<string, string>>;
}

/** A column whose label is stored beside it (`stateLabel`, `priorityLabel`). */
export interface LabelColumn {
  readonly property: string;
  readonly description?: string;
  readonly length: number;
  /** ServiceNow's default labels by raw value, for records fetched without display values. */
  readonly defaults: Readonly<Record<string, string>>;
}

/** A to-one relation through a reference column, e.g. Incident.caller through caller_id. */
export interface ToOneRelationOptions {
  readonly name: string;
  readonly description?: string;
}

export interface ColumnDescriptor {
  /** Entity, database (snake-cased) and GraphQL name. */
  readonly property: string;
  /** The ServiceNow field that feeds it. */
  readonly field: string;
  /** Read when `field` is empty (approvals: document_id, else sysapproval). */
  readonly fallback?: { readonly field: string; readonly references: string };
  readonly type: ColumnType;
  /** varchar(length); unbounded text when omitted (text columns only). */
  readonly length?: number;
  /** NOT NULL: the row cannot exist without it (the sync rejects a record that lacks it). */
  readonly required?: boolean;
  readonly description?: string;
  /** reference: the ServiceNow table it points to (tables the gateway does not read included). */
  readonly references?: string;
  /** reference to a table the gateway reads: the to-one relation it gives. */
  readonly relation?: ToOneRelationOptions;
  /** choice: its known values. */
  readonly choice?: ChoiceEnum;
  /** choice or integer: the label column beside it. */
  readonly label?: LabelColumn;
  /** Filterable: a list (IN) for text, integer, choice and reference; a range for date-times. */
  readonly filter?: FilterOptions;
  /** Sortable: the order enum member, e.g. OPENED_AT. */
  readonly order?: string;
  /**
   * A dimension of the counts (`incidentCounts(groupBy: [CONTACT_TYPE])`) though not filterable;
   * every filterable column other than a date-time is one already.
   */
  readonly dimension?: boolean;
}

/** A to-many relation: the rows of `table` whose `foreignKey` holds this record's sys_id. */
export interface ToManyRelation {
  readonly kind: "toMany";
  readonly name: string;
  readonly table: string;
  readonly foreignKey: string;
  readonly orderBy: { readonly property: string; readonly direction: "ASC" | "DESC" };
  readonly description?: string;
}

/**
 * The record's journal entries (`updates`): latest first, with `first` (1 to 100) and an
 * optional `element` argument.
 */
export interface JournalRelation {
  readonly kind: "journal";
  readonly name: string;
  readonly description?: string;
}

/** The integration the record came from. */
export interface IntegrationRelation {
  readonly kind: "integration";
  readonly name: string;
}

export type RelationDescriptor = ToManyRelation | JournalRelation | IntegrationRelation;

export interface OrderKey {
  /** An order enum member of the table's columns. */
  readonly order: string;
  readonly direction: "ASC" | "DESC";
}

/** The root list field, e.g. `incidents(first, after, integrationId, filter, orderBy)`. */
export interface ListField {
  readonly name: string;
  readonly description?: string;
  /** Order when `orderBy` is absent; the list takes no `orderBy` when `orderable` is false. */
  readonly defaultOrder: readonly OrderKey[];
  readonly orderable: boolean;
  /** Case-insensitive `search` over these properties. */
  readonly search?: { readonly properties: readonly string[]; readonly description: string };
}

/** The root lookup field, e.g. `incident(integrationId, sysId, number)`. */
export interface LookupField {
  readonly name: string;
  readonly description: string;
  /** The second key besides sysId, e.g. number or userName. */
  readonly key: string;
  readonly keyDescription: string;
}

export interface TableDescriptor {
  /** ServiceNow table name, e.g. `incident`. */
  readonly name: string;
  /** Database table, e.g. `sn_user` for sys_user. */
  readonly entityName: string;
  /** GraphQL object type, e.g. Incident. */
  readonly typeName: string;
  /** Plural words for people, e.g. "Incidents". */
  readonly label: string;
  readonly description: string;
  readonly cursorField: CursorField;
  /** Tables this one extends: their fields are defined in sys_dictionary under their names. */
  readonly parentTables?: readonly string[];
  /** Fields a user may never exclude besides sys_id and the timestamps. */
  readonly requiredFields?: readonly string[];
  /** Fields asked for but kept in `attributes` only (no column). */
  readonly attributeFields?: readonly string[];
  /** Journal fields (comments, work notes): their entries are `sys_journal_field` rows. */
  readonly journalFields?: readonly string[];
  /**
   * Server-side conditions on what the sync ingests, e.g. `source_table=change_request`
   * (`field=value` pairs joined with `^`); none when every row is read.
   */
  readonly scope?: Readonly<Record<string, string>>;
  readonly columns: readonly ColumnDescriptor[];
  readonly relations?: readonly RelationDescriptor[];
  /** Database indexes besides the unique (integrationId, sysId): property lists. */
  readonly indexes?: readonly (readonly string[])[];
  readonly list?: ListField;
  readonly lookup?: LookupField;
  /** The property that names a record where another one references it (a count's group label). */
  readonly displayProperty?: string;
}

/** The columns every record has, in this order, whatever its table. */
export const RECORD_FIELDS = ["sys_id", "sys_created_on", "sys_updated_on"] as const;
