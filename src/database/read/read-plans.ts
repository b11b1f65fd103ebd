import {
  type ASTNode,
  type FieldNode,
  getNamedType,
  type GraphQLResolveInfo,
  isObjectType,
  type OperationDefinitionNode,
  visit,
} from "graphql";
import type { DataSource } from "typeorm";

import type { TableDescriptor } from "../../table-model/table.descriptor";
import type { ConnectionResult } from "../keyset";
import type { ListArguments, LookupArguments } from "./read-arguments";
import type { ListPlan, LookupPlan } from "./read-plan";
import {
  compileListPlan,
  compileLookupPlan,
  type SelectionContext,
  UnplannableSelection,
} from "./read-plan.compiler";
import { ReadPlanRunner } from "./read-plan.runner";
import { dialectOf } from "./sql-dialect";
import { createSqlExecutor, type SqlExecutor } from "./sql-executor";

/**
 * Variables used inside a root field's selection (directives, relation arguments), through
 * the fragments it spreads; the root field's own arguments are bound per request instead.
 */
function selectionVariables(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const visitedFragments = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = info.fragments[name];
        if (!visitedFragments.has(name) && fragment !== undefined) {
          visitedFragments.add(name);
          walk(fragment);
        }
      },
    });
  for (const node of info.fieldNodes) {
    if (node.selectionSet !== undefined) {
      walk(node.selectionSet);
    }
    // @include/@skip on the root field itself decide whether it runs at all, not its plan.
  }
  return [...names].sort();
}

interface OperationPlans {
  readonly variables: Map<string, readonly string[]>;
  readonly plans: Map<string, ListPlan | LookupPlan | null>;
}

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

  list<T>(
    table: TableDescriptor,
    args: ListArguments,
    info: GraphQLResolveInfo,
  ): Promise<ConnectionResult<T>> | null {
    const plan = this.planFor(info, (context, nodes) => {
      const connectionType = getNamedType(info.returnType);
      if (!isObjectType(connectionType)) {
        throw new UnplannableSelection(`${info.fieldName} does not return a connection`);
      }
      return compileListPlan(context, this.runner.dialect, table, connectionType, nodes);
    }) as ListPlan | null;
    if (plan === null) {
      return null;
    }
    // Plain objects in the GraphQL shape of T: default resolvers read them as they read T.
    return this.runner.list(table, plan, args) as Promise<ConnectionResult<unknown>> as Promise<
      ConnectionResult<T>
    >;
  }

  lookup<T>(
    table: TableDescriptor,
    args: LookupArguments,
    info: GraphQLResolveInfo,
  ): Promise<T | null> | null {
    const plan = this.planFor(info, (context, nodes) =>
      compileLookupPlan(context, this.runner.dialect, table, nodes),
    ) as LookupPlan | null;
    if (plan === null) {
      return null;
    }
    return this.runner.lookup(table, plan, args) as Promise<unknown> as Promise<T | null>;
  }

  private planFor(
    info: GraphQLResolveInfo,
    compile: (context: SelectionContext, nodes: readonly FieldNode[]) => ListPlan | LookupPlan,
  ): ListPlan | LookupPlan | null {
    let operation = this.operations.get(info.operation);
    if (operation === undefined) {
      operation = { variables: new Map(), plans: new Map() };
      this.operations.set(info.operation, operation);
    }
    const path = String(info.path.key);
    let variables = operation.variables.get(path);
    if (variables === undefined) {
      variables = selectionVariables(info);
      operation.variables.set(path, variables);
    }
    const key =
      variables.length === 0
        ? path
        : `${path}\u0000${JSON.stringify(variables.map((name) => info.variableValues[name] ?? null))}`;
    let plan = operation.plans.get(key);
    if (plan === undefined) {
      try {
        plan = compile(
          {
            schema: info.schema,
            fragments: info.fragments,
            variableValues: info.variableValues,
          },
          info.fieldNodes,
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
