import {
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isNonNullType,
  isObjectType,
} from "graphql";
import { collectSubfields } from "graphql/execution/collectFields";

import { GatewayError } from "../../common/gateway.error";
import { checkUpdatesArgs } from "../../modules/journal-entries/updates.args";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { type FieldSource, fieldSources } from "./field-sources";
import type {
  ChildPlan,
  ConnectionOutputField,
  EdgeOutputField,
  JoinedRecord,
  ListPlan,
  LookupPlan,
  NodeOutput,
  NodePlan,
  OutputField,
  PageInfoField,
  SelectedValue,
  StatementShape,
} from "./read-plan";
import { quoteIdentifier, type SqlDialect } from "./sql-dialect";

/** The selection asks for something no plan reads: the resolvers answer it as before. */
export class UnplannableSelection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "UnplannableSelection";
  }
}

/** What of the operation a compilation reads. */
export interface SelectionContext {
  readonly schema: GraphQLSchema;
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly variableValues: Record<string, unknown>;
}

/** The select list and joins of one statement, grown while its node tree is compiled. */
class StatementBuilder {
  readonly selects: string[] = [];
  readonly joins: string[] = [];
  private aliases = 0;

  constructor(readonly dialect: SqlDialect) {}

  nextAlias(): string {
    const alias = `t${this.aliases}`;
    this.aliases += 1;
    return alias;
  }

  /** Adds a select expression; returns its index in the row. */
  select(expression: string): number {
    this.selects.push(`${expression} AS ${quoteIdentifier(`c${this.selects.length}`)}`);
    return this.selects.length - 1;
  }
}

const column = (alias: string, name: string): string =>
  `${quoteIdentifier(alias)}.${quoteIdentifier(name)}`;

function objectTypeOf(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) {
    throw new UnplannableSelection(`${name} is not an object type of this schema`);
  }
  return type;
}

interface SelectedField {
  readonly name: string;
  readonly nodes: readonly FieldNode[];
  readonly args: Record<string, unknown>;
  readonly nonNull: boolean;
}

/**
 * The fields selected on `type` by `nodes`, merged by response key as graphql-js merges them
 * (fragments, inline fragments, @include/@skip). A key whose nodes name different fields or
 * pass different arguments cannot share one value on a shared object: such a selection is not
 * planned.
 */
function selectedFields(
  context: SelectionContext,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
): Map<string, SelectedField> {
  const fields = collectSubfields(
    context.schema,
    context.fragments,
    context.variableValues,
    type,
    nodes,
  );
  const selected = new Map<string, SelectedField>();
  for (const [responseKey, fieldNodes] of fields) {
    const name = fieldNodes[0].name.value;
    if (name === "__typename") {
      selected.set(responseKey, { name, nodes: fieldNodes, args: {}, nonNull: true });
      continue;
    }
    const definition = type.getFields()[name];
    if (definition === undefined) {
      throw new UnplannableSelection(`${type.name} has no field ${name}`);
    }
    const args = getArgumentValues(definition, fieldNodes[0], context.variableValues);
    const signature = JSON.stringify(args);
    for (const other of fieldNodes.slice(1)) {
      if (
        other.name.value !== name ||
        JSON.stringify(getArgumentValues(definition, other, context.variableValues)) !== signature
      ) {
        throw new UnplannableSelection(`${responseKey} names two different fields`);
      }
    }
    selected.set(responseKey, {
      name,
      nodes: fieldNodes,
      args,
      nonNull: isNonNullType(definition.type),
    });
  }
  return selected;
}

function decoderOf(source: FieldSource, dialect: SqlDialect): (raw: unknown) => unknown {
  if (source.kind === "choice") {
    const { members } = source;
    return (raw) => (raw === null ? null : (members.get(raw as string) ?? null));
  }
  if (source.kind !== "value") {
    throw new Error("only values decode");
  }
  switch (source.type) {
    case "boolean":
      return dialect.boolean;
    case "dateTime":
      return dialect.dateTime;
    case "json":
      return dialect.json;
    default:
      return (raw) => raw;
  }
}

/** Compiles the selection on one record type into its values, joins and children. */
function compileNode(
  context: SelectionContext,
  builder: StatementBuilder,
  alias: string,
  table: TableDescriptor,
  nodes: readonly FieldNode[],
): NodePlan {
  const type = objectTypeOf(context.schema, table.typeName);
  const sources = fieldSources(table);
  const { dialect } = builder;
  const values: SelectedValue[] = [];
  const seen = new Set<string>();
  const addValue = (key: string, source: FieldSource) => {
    if (seen.has(key) || (source.kind !== "value" && source.kind !== "choice")) {
      return;
    }
    seen.add(key);
    const expression = column(alias, source.column);
    const selected =
      source.kind === "value" && source.type === "dateTime"
        ? dialect.selectDateTime(expression)
        : expression;
    values.push({ key, index: builder.select(selected), decode: decoderOf(source, dialect) });
  };
  // Children and the DataLoader fallbacks (integration) find the record by these two.
  addValue("integrationId", sources.get("integrationId")!);
  addValue("sysId", sources.get("sysId")!);

  const joins: JoinedRecord[] = [];
  const children: ChildPlan[] = [];
  for (const [responseKey, field] of selectedFields(context, type, nodes)) {
    if (field.name === "__typename") {
      continue;
    }
    const source = sources.get(field.name);
    if (source === undefined) {
      throw new UnplannableSelection(`${table.typeName}.${field.name} has no read source`);
    }
    switch (source.kind) {
      case "value":
      case "choice":
        addValue(field.name, source);
        break;
      case "toOne": {
        const joined = builder.nextAlias();
        builder.joins.push(
          `LEFT JOIN ${quoteIdentifier(source.table.entityName)} ${quoteIdentifier(joined)} ON ` +
            `${column(joined, "integration_id")} = ${column(alias, "integration_id")} AND ` +
            `${column(joined, "sys_id")} = ${column(alias, source.column)}`,
        );
        const presentIndex = builder.select(column(joined, "id"));
        joins.push({
          responseKey,
          presentIndex,
          node: compileNode(context, builder, joined, source.table, field.nodes),
        });
        break;
      }
      case "toMany":
        children.push(
          compileChild(context, dialect, responseKey, source.table, field.nodes, {
            foreignKey: source.foreignKey,
            orderBy: [
              { property: source.orderBy.property, direction: source.orderBy.direction },
              { property: "id", direction: "ASC" },
            ],
            window: null,
            invalid: null,
          }),
        );
        break;
      case "journal": {
        const first = field.args.first as number;
        const element = (field.args.element as string | null | undefined) ?? null;
        let invalid: GatewayError | null = null;
        try {
          checkUpdatesArgs({ first, element });
        } catch (error) {
          if (!(error instanceof GatewayError)) {
            throw error;
          }
          invalid = error;
        }
        children.push(
          compileChild(context, dialect, responseKey, source.table, field.nodes, {
            foreignKey: "element_sys_id",
            orderBy: [
              { property: "sysCreatedOn", direction: "DESC" },
              { property: "id", direction: "DESC" },
            ],
            window: { first, element },
            invalid,
          }),
        );
        break;
      }
      case "resolver":
        break;
    }
  }
  return { table, values, joins, children };
}

function compileChild(
  context: SelectionContext,
  dialect: SqlDialect,
  responseKey: string,
  table: TableDescriptor,
  nodes: readonly FieldNode[],
  options: {
    readonly foreignKey: string;
    readonly orderBy: readonly { property: string; direction: "ASC" | "DESC" }[];
    readonly window: ChildPlan["window"];
    readonly invalid: GatewayError | null;
  },
): ChildPlan {
  return {
    responseKey,
    shape: compileShape(context, dialect, table, nodes),
    foreignKey: options.foreignKey,
    orderBy: options.orderBy.map((key) => ({
      column: key.property === "id" ? "id" : columnOf(table, key.property),
      direction: key.direction,
    })),
    window: options.window,
    invalid: options.invalid,
  };
}

function columnOf(table: TableDescriptor, property: string): string {
  const source = fieldSources(table).get(property);
  if (source?.kind !== "value") {
    throw new RangeError(`${table.name} has no column ${property}`);
  }
  return source.column;
}

/** One statement's shape over `table` (alias t0) for the selection `nodes` on its type. */
function compileShape(
  context: SelectionContext,
  dialect: SqlDialect,
  table: TableDescriptor,
  nodes: readonly FieldNode[],
): StatementShape {
  const builder = new StatementBuilder(dialect);
  const alias = builder.nextAlias();
  const node = compileNode(context, builder, alias, table, nodes);
  return {
    node,
    select: builder.selects.join(", "),
    from: [`${quoteIdentifier(table.entityName)} ${quoteIdentifier(alias)}`, ...builder.joins].join(
      " ",
    ),
    width: builder.selects.length,
  };
}

/**
 * The response part of a selection on a record type, in graphql-js's field order; relations by
 * response key, as the plan loaded them (its node plan selected the union of every path).
 */
function compileOutput(
  context: SelectionContext,
  table: TableDescriptor,
  nodes: readonly FieldNode[],
): NodeOutput {
  const type = objectTypeOf(context.schema, table.typeName);
  const sources = fieldSources(table);
  const fields: OutputField[] = [];
  let direct = true;
  for (const [key, field] of selectedFields(context, type, nodes)) {
    if (field.name === "__typename") {
      fields.push({ kind: "typename", key, typeName: type.name });
      continue;
    }
    const source = sources.get(field.name);
    switch (source?.kind) {
      case "value":
      case "choice":
        fields.push({ kind: "value", key, field: field.name, nonNull: field.nonNull });
        break;
      case "toOne":
      case "toMany":
      case "journal": {
        const output = compileOutput(context, source.table, field.nodes);
        direct &&= output.direct;
        fields.push({ kind: source.kind === "toOne" ? "one" : "many", key, output });
        break;
      }
      default:
        direct = false;
    }
  }
  return { fields, direct };
}

/** A lookup field (`incident(sysId:)`): `nodes` select on the record type itself. */
export function compileLookupPlan(
  context: SelectionContext,
  dialect: SqlDialect,
  table: TableDescriptor,
  nodes: readonly FieldNode[],
): LookupPlan {
  const output = compileOutput(context, table, nodes);
  return {
    kind: "lookup",
    shape: compileShape(context, dialect, table, nodes),
    output,
    direct: output.direct,
  };
}

/**
 * A list field (`incidents`): the node selection is what `edges.node` and `nodes` select
 * together (they share their objects); cursors and totalCount only when selected.
 */
export function compileListPlan(
  context: SelectionContext,
  dialect: SqlDialect,
  table: TableDescriptor,
  connectionType: GraphQLObjectType,
  nodes: readonly FieldNode[],
): ListPlan {
  const recordNodes: FieldNode[] = [];
  const output: ConnectionOutputField[] = [];
  let cursors = false;
  let totalCount = false;
  let direct = true;
  for (const [key, field] of selectedFields(context, connectionType, nodes)) {
    if (field.name === "__typename") {
      output.push({ kind: "typename", key, typeName: connectionType.name });
      continue;
    }
    const fieldType = getNamedType(connectionType.getFields()[field.name].type);
    switch (field.name) {
      case "nodes": {
        recordNodes.push(...field.nodes);
        const nodeOutput = compileOutput(context, table, field.nodes);
        direct &&= nodeOutput.direct;
        output.push({ kind: "nodes", key, output: nodeOutput });
        break;
      }
      case "edges": {
        if (!isObjectType(fieldType)) {
          throw new UnplannableSelection("edges is not an object type");
        }
        const edgeFields: EdgeOutputField[] = [];
        for (const [edgeKey, edgeField] of selectedFields(context, fieldType, field.nodes)) {
          if (edgeField.name === "node") {
            recordNodes.push(...edgeField.nodes);
            const nodeOutput = compileOutput(context, table, edgeField.nodes);
            direct &&= nodeOutput.direct;
            edgeFields.push({ kind: "node", key: edgeKey, output: nodeOutput });
          } else if (edgeField.name === "cursor") {
            cursors = true;
            edgeFields.push({ kind: "cursor", key: edgeKey });
          } else {
            edgeFields.push({ kind: "typename", key: edgeKey, typeName: fieldType.name });
          }
        }
        output.push({ kind: "edges", key, fields: edgeFields });
        break;
      }
      case "pageInfo": {
        if (!isObjectType(fieldType)) {
          throw new UnplannableSelection("pageInfo is not an object type");
        }
        const infoFields: (
          | { kind: "info"; key: string; field: PageInfoField }
          | { kind: "typename"; key: string; typeName: string }
        )[] = [];
        for (const [infoKey, pageField] of selectedFields(context, fieldType, field.nodes)) {
          if (pageField.name === "startCursor" || pageField.name === "endCursor") {
            cursors = true;
          }
          infoFields.push(
            pageField.name === "__typename"
              ? { kind: "typename", key: infoKey, typeName: fieldType.name }
              : { kind: "info", key: infoKey, field: pageField.name as PageInfoField },
          );
        }
        output.push({ kind: "pageInfo", key, fields: infoFields });
        break;
      }
      case "totalCount":
        totalCount = true;
        output.push({ kind: "totalCount", key });
        break;
      default:
        throw new UnplannableSelection(`${connectionType.name}.${field.name} is not planned`);
    }
  }
  return {
    kind: "list",
    shape: compileShape(context, dialect, table, recordNodes),
    cursors,
    totalCount,
    output,
    direct,
  };
}
