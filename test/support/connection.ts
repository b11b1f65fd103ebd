import type { TestGateway } from "./test-gateway";

export interface Edge<TNode> {
  readonly cursor: string;
  readonly node: TNode;
}

export interface ConnectionPage<TNode> {
  readonly edges: Edge<TNode>[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount?: number;
}

/**
 * Follows `endCursor` until `hasNextPage` is false. `field` names the connection in `data`;
 * the query must declare `$first: Int` and `$after: String`. `beforeNext` runs between pages.
 */
export async function walkPages<TNode>(
  gateway: TestGateway,
  query: string,
  field: string,
  variables: Record<string, unknown>,
  options: {
    readonly first: number;
    readonly maxPages?: number;
    readonly beforeNext?: (page: ConnectionPage<TNode>, index: number) => Promise<void>;
  },
): Promise<Array<ConnectionPage<TNode>>> {
  const pages: Array<ConnectionPage<TNode>> = [];
  let after: string | null = null;
  for (;;) {
    const {
      status,
      body,
    }: Awaited<ReturnType<typeof gateway.graphql<Record<string, ConnectionPage<TNode>>>>> =
      await gateway.graphql<Record<string, ConnectionPage<TNode>>>(query, {
        ...variables,
        first: options.first,
        after,
      });
    if (status !== 200 || body.errors || !body.data) {
      throw new Error(`page ${pages.length + 1} failed (${status}): ${JSON.stringify(body)}`);
    }
    const page: ConnectionPage<TNode> = body.data[field];
    pages.push(page);
    if (!page.pageInfo.hasNextPage) {
      return pages;
    }
    if (pages.length >= (options.maxPages ?? 1000)) {
      throw new Error(`still hasNextPage after ${pages.length} pages`);
    }
    await options.beforeNext?.(page, pages.length - 1);
    after = page.pageInfo.endCursor;
  }
}
