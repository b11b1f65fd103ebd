import { type ClassType, Field, Int, ObjectType } from "type-graphql";

import type { ConnectionResult } from "../../database/keyset";

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field({ description: "Always false: paging is forward-only." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Connection<TNode> {
  edges: Array<{ cursor: string; node: TNode }>;
  nodes: TNode[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** Relay connection and edge types for one node type, e.g. `IncidentConnection`, `IncidentEdge`. */
export function ConnectionType<TNode extends object>(
  nodeType: ClassType<TNode>,
  name: string,
): new (result: ConnectionResult<TNode>) => Connection<TNode> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field({ description: "Opaque keyset cursor; pass as `after` to continue." })
    cursor: string;

    @Field(() => nodeType)
    node: TNode;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<TNode> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [nodeType], {
      description: "The nodes of `edges`, for clients that need no cursors.",
    })
    nodes: TNode[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    private readonly count: () => Promise<number>;

    constructor(result: ConnectionResult<TNode>) {
      this.nodes = result.nodes;
      this.edges = result.nodes.map((node, index) => ({ node, cursor: result.cursors[index] }));
      this.pageInfo = {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: false,
        startCursor: result.cursors[0] ?? null,
        endCursor: result.cursors.at(-1) ?? null,
      };
      this.count = result.count;
    }

    @Field(() => Int, { description: "Rows matching the filter, all pages together." })
    totalCount(): Promise<number> {
      return this.count();
    }
  }

  return ConnectionClass;
}
