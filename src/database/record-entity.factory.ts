import { Column, type ColumnOptions, Entity, Index } from "typeorm";

import type { ColumnDescriptor, TableDescriptor } from "../table-model/table.descriptor";
import { indexesOf } from "../table-model/table-fields";
import { dateTimeColumnType } from "./column-types";
import { ServiceNowRecordEntity } from "./servicenow-record.entity";

/** A record entity class: what `getRepository` takes, and what its rows are instances of. */
export type RecordEntityClass<R extends ServiceNowRecordEntity = ServiceNowRecordEntity> =
  new () => R;

/** Declared once by ServiceNowRecordEntity for every table. */
const BASE_PROPERTIES: ReadonlySet<string> = new Set(["sysId", "sysCreatedOn", "sysUpdatedOn"]);

/** Raw choice values are short codes (`6`, `-5`, `requested`). */
const CHOICE_VALUE_LENGTH = 40;

function columnOptions(column: ColumnDescriptor): ColumnOptions {
  const nullable = column.required === true ? {} : { nullable: true };
  switch (column.type) {
    case "text":
      return column.length === undefined
        ? { type: "text", ...nullable }
        : { type: "varchar", length: column.length, ...nullable };
    case "integer":
      return { type: "integer", ...nullable };
    case "boolean":
      return { type: "boolean", ...nullable };
    case "dateTime":
      return { type: dateTimeColumnType, ...nullable };
    case "choice":
      return { type: "varchar", length: CHOICE_VALUE_LENGTH, ...nullable };
    case "reference":
      return { type: "varchar", length: 32, ...nullable };
  }
}

/**
 * The TypeORM entity of a described table: the record base, a column per descriptor column
 * (and its label), the unique (integrationId, sysId) index, the descriptor's indexes and those its
 * to-many foreign keys need. The
 * decorators are the ones a hand-written entity would carry, applied in code, so the schema
 * and its migrations are the same.
 */
export function createRecordEntity(
  table: TableDescriptor,
  tables: readonly TableDescriptor[],
): RecordEntityClass {
  const entity = class extends ServiceNowRecordEntity {};
  // Error messages and TypeORM's metadata name the class: give it the table's type name.
  Object.defineProperty(entity, "name", { value: table.typeName });
  for (const column of table.columns) {
    if (BASE_PROPERTIES.has(column.property)) {
      continue;
    }
    Column(columnOptions(column))(entity.prototype, column.property);
    if (column.label !== undefined) {
      Column({ type: "varchar", length: column.label.length, nullable: true })(
        entity.prototype,
        column.label.property,
      );
    }
  }
  Index(["integrationId", "sysId"], { unique: true })(entity);
  for (const properties of indexesOf(table, tables)) {
    Index([...properties])(entity);
  }
  // Sortable text columns have an index under the "C" collation on PostgreSQL (migration
  // AddBinaryTextSortIndexes): TypeORM cannot declare a collated index, so it is named here
  // and left out of schema sync, which would otherwise generate its DROP.
  for (const column of table.columns) {
    if (column.type === "text" && column.order !== undefined) {
      Index(`IDX_${table.entityName}_${column.property}_c_id`, { synchronize: false })(entity);
    }
  }
  Entity(table.entityName)(entity);
  return entity;
}
