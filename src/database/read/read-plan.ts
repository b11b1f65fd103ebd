import type { GatewayError } from "../../common/gateway.error";
import type { TableDescriptor } from "../../table-model/table.descriptor";

/**
 * Relations a plan loaded, by response key (alias or field name): relation field resolvers
 * answer from here when it holds their key, and fall back to DataLoaders otherwise. Every
 * planned record has it (empty without relations): it tells planned records from entities. A
 * symbol, so it never meets a GraphQL field name and never reaches a response.
 */
export const PRELOADED: unique symbol = Symbol("preloaded relations");

/** A record as a plan returns it: plain values under their GraphQL field names. */
export interface PlannedRecord {
  [field: string]: unknown;
  [PRELOADED]?: Record<string, unknown>;
}

/** One value a statement selects, read from its row at `index`. */
export interface SelectedValue {
  /** The GraphQL field name it is stored under (aliases read it through default resolvers). */
  readonly key: string;
  readonly index: number;
  readonly decode: (raw: unknown) => unknown;
}

/** A to-one relation joined into the statement of its parent. */
export interface JoinedRecord {
  readonly responseKey: string;
  /** The joined row's `id`: NULL when the reference points at no record. */
  readonly presentIndex: number;
  readonly node: NodePlan;
}

/** The part of a record a plan reads: its values, its joined to-ones, its to-many children. */
export interface NodePlan {
  readonly table: TableDescriptor;
  /** Always starts with integrationId and sysId: children and DataLoader fallbacks need them. */
  readonly values: readonly SelectedValue[];
  readonly joins: readonly JoinedRecord[];
  readonly children: readonly ChildPlan[];
}

/**
 * The select list, FROM … JOIN … and row shape of one statement over `alias` t0: compiled once,
 * reused by every request with the same selection.
 */
export interface StatementShape {
  readonly node: NodePlan;
  readonly select: string;
  /** The table and its LEFT JOINs. */
  readonly from: string;
  readonly width: number;
}

/** The per-parent window of journal entries: `updates(first, element)`. */
export interface JournalWindow {
  readonly first: number;
  readonly element: string | null;
}

/**
 * A to-many relation: one batched statement per response key and level, whatever the number of
 * parents. `invalid` holds the argument error every parent's field answers with instead.
 */
export interface ChildPlan {
  readonly responseKey: string;
  readonly shape: StatementShape;
  /** Database column of the child that holds the parent's sys_id. */
  readonly foreignKey: string;
  readonly orderBy: readonly { readonly column: string; readonly direction: "ASC" | "DESC" }[];
  readonly window: JournalWindow | null;
  readonly invalid: GatewayError | null;
}

/** A root list field: the page statement's shape and what of the connection is selected. */
export interface ListPlan {
  readonly kind: "list";
  readonly shape: StatementShape;
  readonly cursors: boolean;
  readonly totalCount: boolean;
  readonly output: readonly ConnectionOutputField[];
  readonly direct: boolean;
}

/** A root lookup field. */
export interface LookupPlan {
  readonly kind: "lookup";
  readonly shape: StatementShape;
  readonly output: NodeOutput;
  readonly direct: boolean;
}

/**
 * How a planned record becomes its part of the response, in the selection's order and under
 * response keys: what a read plan answers without graphql-js walking each field.
 */
export type OutputField =
  | {
      readonly kind: "value";
      readonly key: string;
      readonly field: string;
      readonly nonNull: boolean;
    }
  | { readonly kind: "typename"; readonly key: string; readonly typeName: string }
  | { readonly kind: "one" | "many"; readonly key: string; readonly output: NodeOutput };

export interface NodeOutput {
  readonly fields: readonly OutputField[];
  /** False when a field is left to its resolver (e.g. `integration`): graphql-js answers. */
  readonly direct: boolean;
}

export type EdgeOutputField =
  | { readonly kind: "cursor"; readonly key: string }
  | { readonly kind: "node"; readonly key: string; readonly output: NodeOutput }
  | { readonly kind: "typename"; readonly key: string; readonly typeName: string };

export type PageInfoField = "hasNextPage" | "hasPreviousPage" | "startCursor" | "endCursor";

export type ConnectionOutputField =
  | { readonly kind: "edges"; readonly key: string; readonly fields: readonly EdgeOutputField[] }
  | { readonly kind: "nodes"; readonly key: string; readonly output: NodeOutput }
  | {
      readonly kind: "pageInfo";
      readonly key: string;
      readonly fields: readonly (
        | { readonly kind: "info"; readonly key: string; readonly field: PageInfoField }
        | { readonly kind: "typename"; readonly key: string; readonly typeName: string }
      )[];
    }
  | { readonly kind: "totalCount"; readonly key: string }
  | { readonly kind: "typename"; readonly key: string; readonly typeName: string };
