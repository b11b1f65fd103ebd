import type { ConnectionResult } from "../keyset";
import { type ListPlan, type NodeOutput, type PlannedRecord, PRELOADED } from "./read-plan";

/**
 * A value graphql-js must answer itself: a null in a non-null field, or a relation whose
 * arguments were refused (its error belongs on every row, where graphql-js puts it).
 */
export class NotAnswerable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NotAnswerable";
  }
}

/** A planned record as its part of the response: response keys, in the selection's order. */
export function projectRecord(output: NodeOutput, record: PlannedRecord): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const preloaded = record[PRELOADED];
  for (const field of output.fields) {
    switch (field.kind) {
      case "value": {
        const value = record[field.field];
        if (value === null && field.nonNull) {
          throw new NotAnswerable(`null in the non-null ${field.field}`);
        }
        result[field.key] = value;
        break;
      }
      case "typename":
        result[field.key] = field.typeName;
        break;
      case "one": {
        const related = preloaded?.[field.key] as PlannedRecord | null | undefined;
        if (related === undefined) {
          throw new NotAnswerable(`${field.key} was not loaded`);
        }
        result[field.key] = related === null ? null : projectRecord(field.output, related);
        break;
      }
      case "many": {
        const related = preloaded?.[field.key];
        if (!Array.isArray(related)) {
          throw new NotAnswerable(`${field.key} was not loaded`);
        }
        result[field.key] = (related as PlannedRecord[]).map((item) =>
          projectRecord(field.output, item),
        );
        break;
      }
    }
  }
  return result;
}

/** A connection page as its part of the response; totalCount counted only when selected. */
export async function projectConnection(
  plan: ListPlan,
  page: ConnectionResult<PlannedRecord>,
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const field of plan.output) {
    switch (field.kind) {
      case "edges":
        result[field.key] = page.nodes.map((record, index) => {
          const edge: Record<string, unknown> = {};
          for (const edgeField of field.fields) {
            edge[edgeField.key] =
              edgeField.kind === "cursor"
                ? page.cursors[index]
                : edgeField.kind === "node"
                  ? projectRecord(edgeField.output, record)
                  : edgeField.typeName;
          }
          return edge;
        });
        break;
      case "nodes":
        result[field.key] = page.nodes.map((record) => projectRecord(field.output, record));
        break;
      case "pageInfo": {
        const info: Record<string, unknown> = {};
        for (const infoField of field.fields) {
          if (infoField.kind === "typename") {
            info[infoField.key] = infoField.typeName;
            continue;
          }
          switch (infoField.field) {
            case "hasNextPage":
              info[infoField.key] = page.hasNextPage;
              break;
            case "hasPreviousPage":
              // Paging is forward-only (connection.type.ts).
              info[infoField.key] = false;
              break;
            case "startCursor":
              info[infoField.key] = page.cursors[0] ?? null;
              break;
            case "endCursor":
              info[infoField.key] = page.cursors.at(-1) ?? null;
              break;
          }
        }
        result[field.key] = info;
        break;
      }
      case "totalCount":
        result[field.key] = await page.count();
        break;
      case "typename":
        result[field.key] = field.typeName;
        break;
    }
  }
  return result;
}
