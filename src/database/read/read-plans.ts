import {
  type ASTNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
  type OperationDefinitionNode,
  visit,
} from "graphql";
import type { DataSource } from "typeorm";

import type { TableDescriptor } from "../../table-model/table.descriptor";
import type { ConnectionResult } from "../keyset";
import type { ListArguments, LookupArguments, RecordsArguments } from "./read-arguments";
import type { ListPlan, LookupPlan, PlannedRecord } from "./read-plan";
import {
  compileListPlan,
  compileLookupPlan,
  type SelectionContext,
  UnplannableSelection,
} from "./read-plan.compiler";
import { ReadPlanRunner } from "./read-plan.runner";
import { dialectOf } from "./sql-dialect";
import { createSqlExecutor, type SqlExecutor } from "./sql-executor";

/** What a plan is compiled from: one root field of one operation, with its request's variables. */
export interface PlanRequest {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly variableValues: Record<string, unknown>;
  /** The root field's response key. */
  readonly responseKey: string;
  readonly fieldNodes: readonly FieldNode[];
}

/**
 * Variables used inside a root field's selection (directives, relation arguments), through
 * the fragments it spreads; the root field's own arguments are bound per request instead.
 */
function selectionVariables(request: PlanRequest): string[] {
  const names = new Set<string>();
  const visitedFragments = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = request.fragments[name];
        if (!visitedFragments.has(name) && fragment !== undefined) {
          visitedFragments.add(name);
          walk(fragment);
        }
      },
    });
  // @include/@skip on the root field itself decide whether it runs at all, not its plan.
  for (const node of request.fieldNodes) {
    if (node.selectionSet !== undefined) {
      walk(node.selectionSet);
    }
  }
  return [...names].sort();
}

interface OperationPlans {
  readonly variables: Map<string, readonly string[]>;
  readonly plans: Map<string, ListPlan | LookupPlan | null>;
}

const requestOf = (info: GraphQLResolveInfo): PlanRequest => ({
  schema: info.schema,
  operation: info.operation,
  fragments: info.fragments,
  variableValues: info.variableValues,
  responseKey: String(info.path.key),
  fieldNodes: info.fieldNodes,
});

/**
 * The compiled read path of the root list and lookup fields: a plan per operation, root field
 * and the variable values its selection depends on, compiled once and run as raw prepared
 * statements. `list` and `lookup` answer null when a selection asks for something no plan
 * reads; the caller then answers through its service and DataLoaders, as before.
 */
export class ReadPlans {
  readonly executor: SqlExecutor;
  private readonly runner: ReadPlanRunner;
  private readonly operations = new WeakMap<OperationDefinitionNode, OperationPlans>();

  constructor(dataSource: DataSource) {
    this.executor = createSqlExecutor(dataSource);
    this.runner = new ReadPlanRunner(this.executor, dialectOf(this.executor.kind));
  }

  /** The resolver path: the records, for graphql-js to walk. */
  list<T>(
    table: TableDescriptor,
    args: ListArguments,
    info: GraphQLResolveInfo,
  ): Promise<ConnectionResult<T>> | null {
    const plan = this.listPlan(table, requestOf(info));
    if (plan === null) {
      return null;
    }
    // Plain objects in the GraphQL shape of T: the schema's record fields read them as T.
    return this.runList(table, plan, args) as Promise<ConnectionResult<unknown>> as Promise<
      ConnectionResult<T>
    >;
  }

  lookup<T>(
    table: TableDescriptor,
    args: LookupArguments,
    info: GraphQLResolveInfo,
  ): Promise<T | null> | null {
    const plan = this.lookupPlan(table, requestOf(info));
    if (plan === null) {
      return null;
    }
    return this.runLookup(table, plan, args) as Promise<unknown> as Promise<T | null>;
  }

  /**
   * The plan of a field returning one record of `table` that is not a root lookup (a
   * subscription's): its selection compiled as a lookup's, once per operation.
   */
  recordPlan(table: TableDescriptor, info: GraphQLResolveInfo): LookupPlan | null {
    return this.lookupPlan(table, requestOf(info));
  }

  runRecords(
    table: TableDescriptor,
    plan: LookupPlan,
    args: RecordsArguments,
  ): Promise<PlannedRecord[]> {
    return this.runner.records(table, plan, args);
  }

  listPlan(table: TableDescriptor, request: PlanRequest): ListPlan | null {
    return this.planFor(request, (context, nodes) => {
      const field = request.schema.getQueryType()?.getFields()[table.list?.name ?? ""];
      const connectionType = field === undefined ? undefined : getNamedType(field.type);
      if (!isObjectType(connectionType)) {
        throw new UnplannableSelection(`${table.name} has no connection type`);
      }
      return compileListPlan(context, this.runner.dialect, table, connectionType, nodes);
    }) as ListPlan | null;
  }

  lookupPlan(table: TableDescriptor, request: PlanRequest): LookupPlan | null {
    return this.planFor(request, (context, nodes) =>
      compileLookupPlan(context, this.runner.dialect, table, nodes),
    ) as LookupPlan | null;
  }

  runList(
    table: TableDescriptor,
    plan: ListPlan,
    args: ListArguments,
  ): Promise<ConnectionResult<PlannedRecord>> {
    return this.runner.list(table, plan, args);
  }

  runLookup(
    table: TableDescriptor,
    plan: LookupPlan,
    args: LookupArguments,
  ): Promise<PlannedRecord | null> {
    return this.runner.lookup(table, plan, args);
  }

  private planFor(
    request: PlanRequest,
    compile: (context: SelectionContext, nodes: readonly FieldNode[]) => ListPlan | LookupPlan,
  ): ListPlan | LookupPlan | null {
    let operation = this.operations.get(request.operation);
    if (operation === undefined) {
      operation = { variables: new Map(), plans: new Map() };
      this.operations.set(request.operation, operation);
    }
    const path = request.responseKey;
    let variables = operation.variables.get(path);
    if (variables === undefined) {
      variables = selectionVariables(request);
      operation.variables.set(path, variables);
    }
    const key =
      variables.length === 0
        ? path
        : `${path}\u0000${JSON.stringify(variables.map((name) => request.variableValues[name] ?? null))}`;
    let plan = operation.plans.get(key);
    if (plan === undefined) {
      try {
        plan = compile(
          {
            schema: request.schema,
            fragments: request.fragments,
            variableValues: request.variableValues,
          },
          request.fieldNodes,
        );
      } catch (error) {
        if (!(error instanceof UnplannableSelection)) {
          throw error;
        }
        plan = null;
      }
      operation.plans.set(key, plan);
    }
    return plan;
  }
}
