import { spawnSync } from "node:child_process";

/** The PostgreSQL tests run against: DATABASE_URL when it names one, else the local default. */
export const POSTGRES_BASE_URL = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "")
  ? (process.env.DATABASE_URL as string)
  : "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether that PostgreSQL accepts TCP connections, decided synchronously so a suite can choose
 * `it` or `it.skip` while Jest collects tests (a child process, since sockets are async).
 */
export function postgresReachable(url: string = POSTGRES_BASE_URL): boolean {
  const { hostname, port } = new URL(url);
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      `const s=require("node:net").connect(${Number(port || 5432)},${JSON.stringify(hostname || "127.0.0.1")});` +
        `s.setTimeout(2000,()=>process.exit(1));s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));`,
    ],
    { timeout: 5000 },
  );
  return probe.status === 0;
}
