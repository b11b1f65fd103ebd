import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { DatabaseConfig } from "../../src/config/config";
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from "../support/gateway-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/**
 * What a gateway never uses is not loaded (issue #8: start-up RSS): the real entry
 * (src/index.ts) in a child process, its require.cache read through a preloaded test module.
 * Each lazily loaded feature still answers when it is first used.
 */

const PRELOAD = path.resolve(__dirname, "../support/loaded-modules.preload.js");

/** Parts of a loaded file's path that mark each lazily loaded module. */
const LAZY = {
  sqliteMigrations: "/src/database/migrations/sqlite/1",
  postgresMigrations: "/src/database/migrations/postgres/1",
  pg: "/node_modules/pg/",
  awsSdk: "/node_modules/@aws-sdk/",
  dashboardPage: "/src/http/dashboard/dashboard.page",
  dashboardScript: "/src/http/dashboard/dashboard.script",
  landingPage: "/@apollo/server/dist/cjs/plugin/landingPage/",
  // class-validator's index (every decorator, libphonenumber's metadata) and Apollo's trace
  // protobuf are never loaded; the validator itself is, on the first argument it checks.
  classValidatorIndex: "/node_modules/class-validator/cjs/index.js",
  libphonenumber: "/node_modules/libphonenumber-js/",
  apolloTraceProtobuf: "/node_modules/@apollo/usage-reporting-protobuf/",
  classValidator: "/node_modules/class-validator/cjs/validation/Validator.js",
} as const;
type Lazy = keyof typeof LAZY;

const dirs: string[] = [];
const databases: TestDatabase[] = [];
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-lazy-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await killGatewayProcesses();
  for (const database of databases) {
    await database.drop();
  }
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function start(
  dir: string,
  nodeEnv: string,
  database: DatabaseConfig = { kind: "sqlite", path: path.join(dir, "gateway.sqlite") },
): Promise<GatewayProcess> {
  return startGatewayProcess({
    database,
    dataDir: dir,
    env: {
      NODE_ENV: nodeEnv,
      NODE_OPTIONS: `--require ${PRELOAD}`,
      LOADED_MODULES_FILE: path.join(dir, "loaded.json"),
    },
  });
}

/** Which lazily loaded modules the process has loaded so far. */
async function loadedLazy(gateway: GatewayProcess, dir: string): Promise<Lazy[]> {
  const file = path.join(dir, "loaded.json");
  fs.rmSync(file, { force: true });
  process.kill(gateway.pid, "SIGUSR2");
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) {
      throw new Error(`no module list from the gateway:\n${gateway.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const loaded = JSON.parse(fs.readFileSync(file, "utf8")) as string[];
  return (Object.keys(LAZY) as Lazy[]).filter((lazy) =>
    loaded.some((module) => module.split(path.sep).join("/").includes(LAZY[lazy])),
  );
}

describe("lazily loaded modules", () => {
  // On the suite's database: SQLite, or PostgreSQL with DATABASE_URL (which needs pg throughout).
  it("loads only its own dialect's migrations when some are pending, and none once they ran", async () => {
    const dir = freshDir();
    const database = await createTestDatabase();
    databases.push(database);
    const postgres = database.config.kind === "postgres";
    const first = await start(dir, "production", database.config);
    expect(await loadedLazy(first, dir)).toEqual(
      postgres ? ["postgresMigrations", "pg"] : ["sqliteMigrations"],
    );
    expect((await first.graphql("{ integrations { id } }")).data).toEqual({ integrations: [] });
    await first.kill("SIGTERM");

    const restarted = await start(dir, "production", database.config);
    expect(await loadedLazy(restarted, dir)).toEqual(postgres ? ["pg"] : []);
    expect((await restarted.graphql("{ integrations { id } }")).data).toEqual({
      integrations: [],
    });
    await restarted.kill("SIGTERM");
  });

  it("serves the dashboard page and its script, loading them on their first request", async () => {
    const dir = freshDir();
    const gateway = await start(dir, "production");
    expect(await loadedLazy(gateway, dir)).not.toContain("dashboardPage");

    const page = await fetch(`${gateway.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("<title>Insights · ServiceNow gateway</title>");
    const script = await fetch(`${gateway.url}/dashboard/dashboard.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("application/javascript");
    expect((await script.text()).length).toBeGreaterThan(1000);

    expect(await loadedLazy(gateway, dir)).toEqual([
      "sqliteMigrations",
      "dashboardPage",
      "dashboardScript",
    ]);
    await gateway.kill("SIGTERM");
  });

  it("serves Apollo Sandbox outside production, and does not load it in production", async () => {
    const dir = freshDir();
    const production = await start(dir, "production");
    const disabled = await fetch(`${production.url}/graphql`, { headers: { accept: "text/html" } });
    expect(await disabled.text()).not.toContain("embeddable-sandbox");
    expect(await loadedLazy(production, dir)).not.toContain("landingPage");
    await production.kill("SIGTERM");

    const development = await start(dir, "development");
    const sandbox = await fetch(`${development.url}/graphql`, { headers: { accept: "text/html" } });
    expect(sandbox.status).toBe(200);
    expect(await sandbox.text()).toContain("embeddable-sandbox");
    expect(await loadedLazy(development, dir)).toEqual(["landingPage"]);
    await development.kill("SIGTERM");
  });

  it("checks arguments with class-validator's rules without loading its index", async () => {
    const dir = freshDir();
    const gateway = await start(dir, "production");
    expect(await loadedLazy(gateway, dir)).toEqual(["sqliteMigrations"]);

    const answer = await gateway.graphql(
      `mutation ($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "lazy",
          url: "https://example.service-now.com",
          username: "u",
          password: "p",
          expectedTransactionsPerDay: -1,
        },
      },
    );
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: "expectedTransactionsPerDay must be 0 or more",
        extensions: { code: "BAD_USER_INPUT", field: "expectedTransactionsPerDay" },
      }),
    ]);
    expect(await loadedLazy(gateway, dir)).toEqual(["sqliteMigrations", "classValidator"]);
    await gateway.kill("SIGTERM");
  });
});
