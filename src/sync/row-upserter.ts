import type { DataSource, EntityManager, EntityTarget } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

import { PlanUpserter } from "./worker/plan.upserter";
import type { UpsertPlan, UpsertValueKind } from "./worker/upsert.plan";

/**
 * The upsert plan of an entity from TypeORM's metadata: every stored column but generated
 * ones (or only `properties`, in that order, when given), keyed on `conflictProperties`
 * (default the record key, integration and sys_id). Column types the plan cannot convert
 * exactly as the driver does (transformers, simple-array, enums…) are refused here, at start-up.
 */
export function upsertPlanOf(
  dataSource: DataSource,
  entity: EntityTarget<object>,
  options: {
    readonly properties?: readonly string[];
    readonly conflictProperties?: readonly string[];
  } = {},
): UpsertPlan {
  const metadata = dataSource.getMetadata(entity);
  const stored = metadata.columns.filter((column) => !column.isGenerated);
  const columnOf = (property: string): ColumnMetadata => {
    const column = stored.find((candidate) => candidate.propertyPath === property);
    if (column === undefined) {
      throw new Error(`${metadata.name} has no stored column ${property}`);
    }
    return column;
  };
  const columns = options.properties?.map(columnOf) ?? stored;
  const conflict = (options.conflictProperties ?? ["integrationId", "sysId"]).map(columnOf);
  return {
    table: metadata.tablePath,
    dialect: dataSource.options.type === "postgres" ? "postgres" : "sqlite",
    columns: columns.map((column) => ({
      name: column.databaseName,
      property: column.propertyPath,
      kind: valueKindOf(metadata.name, column),
      sqlType: String(column.type),
    })),
    conflictColumns: conflict.map((column) => column.databaseName),
  };
}

function valueKindOf(entity: string, column: ColumnMetadata): UpsertValueKind {
  const type = column.type;
  if (column.transformer === undefined) {
    if (type === "varchar" || type === "text" || type === String) {
      return "text";
    }
    if (type === "integer" || type === "int" || type === Number) {
      return "integer";
    }
    if (type === "boolean" || type === Boolean) {
      return "boolean";
    }
    if (type === "datetime" || type === "timestamptz" || type === Date) {
      return "dateTime";
    }
    if (type === "json" || type === "jsonb" || type === "simple-json") {
      return "json";
    }
  }
  throw new Error(
    `${entity}.${column.propertyPath} (${String(type)}) is not a column type the sync's upserter converts`,
  );
}

/**
 * One synced table's upserts through a TypeORM EntityManager (inside its transaction): the
 * plan's statements, prepared once per batch size, with values converted as the driver would.
 * TypeORM's own upsert builder re-derives the statement and converts column by column through
 * the driver, which profiled as much CPU as SQLite's own work.
 */
export class RowUpserter {
  private readonly upserter: PlanUpserter;

  constructor(dataSource: DataSource, entity: EntityTarget<object>) {
    this.upserter = new PlanUpserter(upsertPlanOf(dataSource, entity));
  }

  get plan(): UpsertPlan {
    return this.upserter.plan;
  }

  async upsert(manager: EntityManager, rows: readonly object[]): Promise<void> {
    await this.upserter.upsert(
      { execute: (sql, parameters) => manager.query(sql, [...parameters]) },
      rows,
    );
  }
}
