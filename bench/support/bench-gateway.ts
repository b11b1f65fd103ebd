import { type Child, startChild } from "./child-process";
import { startScriptNodeFlags } from "./node-flags";

/** The admin token of every gateway a benchmark starts. */
export const BENCH_ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

export interface GatewayChildReady {
  readonly graphqlUrl: string;
}

/** A statement the gateway ran, as its TypeORM logger saw it (count mode only). */
export interface RecordedStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

/**
 * The real gateway on an existing SQLite file or PostgreSQL URL, in a child process
 * (support/gateway.child.ts).
 */
export function startGatewayChild(
  file: string,
  options: { countStatements?: boolean } = {},
): Promise<Child<GatewayChildReady>> {
  return startChild<GatewayChildReady>("support/gateway.child.ts", {
    args: [file, ...(options.countStatements ? ["count"] : [])],
    nodeArgs: startScriptNodeFlags(),
    // Entity column types follow DATABASE_URL at import time (column-types.ts).
    ...(/^postgres(ql)?:\/\//.test(file) ? { env: { DATABASE_URL: file } } : {}),
  });
}

/** A GraphQL request as the bench's admin; its data, or an Error carrying the errors. */
export async function benchGraphql<T>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) {
    throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}
