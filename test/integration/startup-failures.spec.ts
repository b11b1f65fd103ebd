import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import type { DatabaseConfig } from "../../src/config/config";
import { openDataSource } from "../../src/database/data-source";
import { AuthMethod, Deployment } from "../../src/modules/integrations/integration.enums";
import { CreateIntegrationInput } from "../../src/modules/integrations/integration.inputs";
import { IntegrationService } from "../../src/modules/integrations/integration.service";
import { SecretBox } from "../../src/secrets/secret-box";
import {
  freePort,
  type GatewayExit,
  killGatewayProcesses,
  spawnGatewayProcess,
} from "../support/gateway-process";
import { POSTGRES_BASE_URL, postgresReachable } from "../support/postgres-available";
import { createTestDatabase } from "../support/test-database";

/** In every PostgreSQL URL below: it must never be printed. */
const DB_PASSWORD = "pw-that-must-not-leak-7f3a";
const BAD_KEY = "not-a-key-but-secret-ish";

const PG = postgresReachable();
const pgHostPort = (() => {
  const url = new URL(POSTGRES_BASE_URL);
  return `${url.hostname}:${url.port || "5432"}`;
})();
const pgUrl = (user: string, database: string) =>
  `postgres://${user}:${DB_PASSWORD}@${pgHostPort}/${database}`;

interface CaseSetup {
  readonly env: Record<string, string>;
  readonly database?: DatabaseConfig;
  readonly cleanup?: () => Promise<void> | void;
  /** A port the case set up, for the expected wording. */
  readonly port?: number;
}

interface Case {
  readonly name: string;
  readonly code: string;
  readonly needsPostgres?: boolean;
  /** Prepares the environment; `dir` is a fresh data directory for this case. */
  setup(dir: string): Promise<CaseSetup> | CaseSetup;
  /** Fragments the one line must contain (where, and what to do). */
  readonly says: (setup: CaseSetup) => readonly string[];
}

const sqliteIn = (dir: string): DatabaseConfig => ({
  kind: "sqlite",
  path: path.join(dir, "gateway.sqlite"),
});

const CASES: readonly Case[] = [
  {
    name: "a malformed PORT",
    code: "CONFIG_INVALID",
    setup: () => ({ env: { PORT: "forty" } }),
    says: () => ["PORT", 'got "forty"', ".env.example"],
  },
  {
    name: "a DATABASE_URL that is not a URL (with a password in it)",
    code: "CONFIG_INVALID",
    setup: () => ({ env: { DATABASE_URL: `postgres://gw:${DB_PASSWORD}@[db/x` } }),
    says: () => ["DATABASE_URL", "percent-encode"],
  },
  {
    name: "a malformed GATEWAY_SECRET_KEY",
    code: "SECRET_KEY_INVALID",
    setup: () => ({ env: { GATEWAY_SECRET_KEY: BAD_KEY } }),
    says: () => ["GATEWAY_SECRET_KEY", "32 bytes", "openssl rand -base64 32"],
  },
  {
    name: "a malformed key in GATEWAY_SECRET_KEYS_PREVIOUS",
    code: "SECRET_KEY_INVALID",
    setup: () => ({ env: { GATEWAY_SECRET_KEYS_PREVIOUS: `${BAD_KEY},another` } }),
    says: () => ["GATEWAY_SECRET_KEYS_PREVIOUS (key 1)"],
  },
  {
    name: "a key file that does not hold a key",
    code: "SECRET_KEY_FILE_INVALID",
    setup: (dir) => {
      fs.writeFileSync(path.join(dir, "secret.key"), "garbage\n", { mode: 0o600 });
      return { env: { GATEWAY_SECRET_KEY: "" } };
    },
    says: () => ["secret.key", "Restore it from a backup", "GATEWAY_SECRET_KEY"],
  },
  {
    // Running as root, permission bits do not stop a read; a directory in its place does.
    name: "a key file that cannot be read",
    code: "SECRET_KEY_FILE_UNREADABLE",
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, "secret.key"));
      return { env: { GATEWAY_SECRET_KEY: "" } };
    },
    says: () => ["secret.key", "EISDIR", "read access"],
  },
  {
    name: "a DATA_DIR that cannot be created",
    code: "DATA_DIR_UNUSABLE",
    setup: (dir) => {
      fs.writeFileSync(path.join(dir, "plain-file"), "");
      return { env: { DATA_DIR: path.join(dir, "plain-file", "data"), GATEWAY_SECRET_KEY: "" } };
    },
    says: () => ["plain-file", "ENOTDIR", "DATA_DIR"],
  },
  {
    name: "stored credentials written with a key that is not configured",
    code: "SECRET_KEY_UNKNOWN",
    setup: async () => {
      const database = await createTestDatabase();
      const dataSource = await openDataSource(database.config);
      try {
        await new IntegrationService(
          dataSource,
          "http://127.0.0.1",
          new SecretBox(randomBytes(32)),
        ).create(
          Object.assign(new CreateIntegrationInput(), {
            name: "Written under another key",
            url: "http://127.0.0.1:9",
            deployment: Deployment.ON_PREM,
            authMethod: AuthMethod.BASIC,
            username: "svc",
            password: "stored-password",
          }),
        );
      } finally {
        await dataSource.destroy();
      }
      return { env: {}, database: database.config, cleanup: () => database.drop() };
    },
    says: () => ["GATEWAY_SECRET_KEYS_PREVIOUS", "not configured"],
  },
  {
    name: "a PostgreSQL nobody listens on",
    code: "DATABASE_UNREACHABLE",
    setup: async () => {
      const port = await freePort();
      return {
        env: {
          DATABASE_URL: `postgres://gw:${DB_PASSWORD}@127.0.0.1:${port}/gateway`,
          DATABASE_CONNECT_TIMEOUT_SECONDS: "1",
        },
        port,
      };
    },
    says: (setup) => [
      `127.0.0.1:${setup.port}`,
      "ECONNREFUSED",
      "DATABASE_CONNECT_TIMEOUT_SECONDS",
    ],
  },
  {
    name: "PostgreSQL refusing the user",
    code: "DATABASE_AUTH_FAILED",
    needsPostgres: true,
    setup: () => ({ env: { DATABASE_URL: pgUrl("no_such_role_4e1b", "test") } }),
    says: () => [`user "no_such_role_4e1b" at ${pgHostPort}`, "user name and password"],
  },
  {
    name: "a PostgreSQL database that does not exist",
    code: "DATABASE_NOT_FOUND",
    needsPostgres: true,
    setup: () => ({
      env: { DATABASE_URL: pgUrl(new URL(POSTGRES_BASE_URL).username, "no_such_db_4e1b") },
    }),
    says: () => [`database "no_such_db_4e1b" at ${pgHostPort}`, "createdb"],
  },
  {
    name: "a SQLite file in a directory that cannot exist",
    code: "DATABASE_OPEN_FAILED",
    setup: (dir) => {
      fs.writeFileSync(path.join(dir, "plain-file"), "");
      return { env: {}, database: { kind: "sqlite", path: path.join(dir, "plain-file", "x.db") } };
    },
    says: () => ["plain-file/x.db", "DATABASE_URL"],
  },
  {
    name: "migrations failing on a database that is not the gateway's",
    code: "MIGRATION_FAILED",
    setup: (dir) => {
      const database = sqliteIn(dir);
      if (database.kind === "sqlite") {
        const other = new Database(database.path);
        other.exec("CREATE TABLE integration (id INTEGER PRIMARY KEY)");
        other.close();
      }
      return { env: {}, database };
    },
    says: () => ["Initial", "gateway.sqlite", "already exists", "restore it from a backup"],
  },
  {
    name: "a port already in use",
    code: "PORT_IN_USE",
    setup: async () => {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
      const { port } = blocker.address() as net.AddressInfo;
      return {
        env: { PORT: String(port) },
        port,
        cleanup: () => new Promise<void>((resolve) => blocker.close(() => resolve())),
      };
    },
    says: (setup) => [`127.0.0.1:${setup.port}`, "already in use", "set PORT"],
  },
  {
    name: "a HOST that is not an address of this machine",
    code: "HOST_NOT_AVAILABLE",
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned to an interface.
    setup: () => ({ env: { HOST: "192.0.2.1" } }),
    says: () => ["192.0.2.1", "EADDRNOTAVAIL", "HOST"],
  },
];

/** Values no line of output may contain. */
const NEVER_PRINTED = [DB_PASSWORD, BAD_KEY, "stored-password"];

async function runToExit(
  setup: CaseSetup,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ exit: GatewayExit; output: string; stderr: string }> {
  const child = await spawnGatewayProcess({
    database: setup.database ?? sqliteIn(dataDir),
    dataDir,
    env: { ...setup.env, ...env },
  });
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    child.exited,
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), 20_000);
    }),
  ]);
  clearTimeout(timer);
  if (exit === null) {
    await child.kill("SIGKILL");
    throw new Error(`the gateway did not exit:\n${child.output()}`);
  }
  return { exit, output: child.output(), stderr: child.stderr() };
}

describe("a start-up that fails says what, where and what to do, in one line", () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-startup-"));
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    await killGatewayProcesses();
    for (const dir of dirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const runnable = CASES.filter((entry) => PG || !entry.needsPostgres);
  const skipped = CASES.filter((entry) => !PG && entry.needsPostgres);

  // Concurrent: each case is a process start (~1 s) that mostly waits on module loading.
  it.concurrent.each(runnable.map((entry) => [entry.name, entry] as const))(
    "%s",
    async (_name, entry) => {
      const dir = freshDir();
      const setup = await entry.setup(dir);
      try {
        const { exit, output, stderr } = await runToExit(setup, dir);
        expect(exit).toEqual({ code: 1, signal: null });
        const lines = stderr.split("\n").filter((line) => line.trim() !== "");
        expect(lines).toHaveLength(1);
        const [line] = lines;
        expect(line).toContain(`[${entry.code}]`);
        for (const fragment of entry.says(setup)) {
          expect(line).toContain(fragment);
        }
        // No stack trace without LOG_LEVEL=debug, and no secret anywhere.
        expect(output).not.toMatch(/^\s+at /m);
        for (const secret of NEVER_PRINTED) {
          expect(output).not.toContain(secret);
        }
      } finally {
        await setup.cleanup?.();
      }
    },
  );

  if (skipped.length > 0) {
    it.skip.each(skipped.map((entry) => [entry.name]))("%s (PostgreSQL unreachable)", () => {});
  }

  it("logs each wait for an unreachable database at warn, naming host:port, not the password", async () => {
    const port = await freePort();
    const { exit, output } = await runToExit(
      {
        env: {
          DATABASE_URL: `postgres://gw:${DB_PASSWORD}@127.0.0.1:${port}/gateway`,
          DATABASE_CONNECT_TIMEOUT_SECONDS: "2",
        },
      },
      freshDir(),
    );
    expect(exit.code).toBe(1);
    const waits = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; msg: string; database?: string })
      .filter((entry) => entry.msg === "database not reachable yet; waiting for it");
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const wait of waits) {
      expect(wait.level).toBe(40);
      expect(wait.database).toBe(`127.0.0.1:${port}`);
    }
    expect(output).not.toContain(DB_PASSWORD);
  });

  it("ends the wait for the database on SIGTERM, with exit code 0", async () => {
    const port = await freePort();
    const child = await spawnGatewayProcess({
      database: { kind: "postgres", url: `postgres://gw@127.0.0.1:${port}/gateway` },
      dataDir: freshDir(),
      env: { DATABASE_CONNECT_TIMEOUT_SECONDS: "600" },
    });
    const deadline = Date.now() + 20_000;
    while (!child.output().includes("database not reachable yet") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(child.output()).toContain("database not reachable yet");
    expect(await child.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(child.stderr()).toBe("");
  });

  it("adds the stack trace with LOG_LEVEL=debug", async () => {
    const dir = freshDir();
    const { exit, stderr } = await runToExit({ env: { HOST: "192.0.2.1" } }, dir, {
      LOG_LEVEL: "debug",
    });
    expect(exit.code).toBe(1);
    const [first] = stderr.split("\n");
    expect(first).toContain("[HOST_NOT_AVAILABLE]");
    expect(stderr).toMatch(/^\s+at /m);
  });

  it("refuses a port that needs privileges, unless this process may bind it", async () => {
    const probe = net.createServer();
    const permitted = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(1, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (permitted) {
      // Root, or ip_unprivileged_port_start lowered: the failure cannot happen here.
      return;
    }
    const { exit, stderr } = await runToExit({ env: { PORT: "1" } }, freshDir());
    expect(exit.code).toBe(1);
    expect(stderr.trim()).toContain("[PORT_NOT_PERMITTED]");
    expect(stderr).toContain("127.0.0.1:1");
  });
});
