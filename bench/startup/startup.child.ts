/* eslint-disable @typescript-eslint/no-require-imports -- imports are measured as a phase */
import "reflect-metadata";

import { randomBytes } from "node:crypto";

import { BENCH_ADMIN_TOKEN } from "../support/bench-gateway";
import { runChild, serveParent } from "../support/child-process";
import { LAZY_MODULES, type MemorySample, type StartupChildReady } from "./startup-bench.types";

/**
 * The compiled gateway started as index.ts starts it (production, SQLite file, no scheduler),
 * sampling process.memoryUsage() after each start-up phase: the gateway's own start-up log lines
 * mark them. The parent sends the requests, so their client costs nothing here.
 * argv: <sqlite file>
 */

const MIB = 1024 * 1024;

function sample(phase: string): MemorySample {
  const usage = process.memoryUsage();
  return {
    phase,
    rssMiB: usage.rss / MIB,
    heapUsedMiB: usage.heapUsed / MIB,
    heapTotalMiB: usage.heapTotal / MIB,
    externalMiB: usage.external / MIB,
    arrayBuffersMiB: usage.arrayBuffers / MIB,
    modules: Object.keys(require.cache).length,
  };
}

/** The start-up log lines that end a phase, and the phase each one ends. */
const PHASE_OF_MESSAGE: Readonly<Record<string, string>> = {
  "gateway listening; opening the database": "listening",
  "database ready": "database ready (initialize, migrations)",
  "gateway ready": "gateway ready (services, schema, Apollo)",
};

runChild(async () => {
  const phases: MemorySample[] = [sample("bare node")];
  // Imported here, not at the top, so the first sample is node alone.
  const { loadConfig } =
    require("../../src/config/config") as typeof import("../../src/config/config");
  const { startGateway } =
    require("../../src/http/gateway.server") as typeof import("../../src/http/gateway.server");
  const { createLogger } =
    require("../../src/logging/logger") as typeof import("../../src/logging/logger");
  const { createAwsSecretsSource } =
    require("../../src/secrets/aws-secrets.factory") as typeof import("../../src/secrets/aws-secrets.factory");
  const { SecretBox } =
    require("../../src/secrets/secret-box") as typeof import("../../src/secrets/secret-box");
  phases.push(sample("imports"));

  const [file] = process.argv.slice(2);
  const base = loadConfig({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    SYNC_SCHEDULER_ENABLED: "false",
  });
  const logger = createLogger("info", {
    write(line: string) {
      const phase = PHASE_OF_MESSAGE[(JSON.parse(line) as { msg?: string }).msg ?? ""];
      if (phase) {
        phases.push(sample(phase));
      }
    },
  });
  const gateway = await startGateway({
    config: { ...base, database: { kind: "sqlite", path: file } },
    logger,
    // Request lines are debug: the info logger above only sees start-up.
    requestLogLevel: "debug",
    adminToken: BENCH_ADMIN_TOKEN,
    secretBox: new SecretBox(randomBytes(32)),
    // As index.ts builds it: the SDK loads on the first AWS-held secret only.
    awsSecrets: createAwsSecretsSource(base.aws),
  });
  const lazyLoaded = () =>
    Object.keys(require.cache).filter((loaded) =>
      LAZY_MODULES.some((lazy) => loaded.includes(lazy)),
    );
  const ready: StartupChildReady = {
    graphqlUrl: gateway.graphqlUrl,
    phases,
    lazyLoaded: lazyLoaded(),
  };
  serveParent(
    ready,
    {
      memory: (phase) => ({ sample: sample(String(phase)), lazyLoaded: lazyLoaded() }),
      // Every thread's CPU time (GC helpers too), in µs: what a request costs, whatever the load.
      cpu: () => {
        const usage = process.cpuUsage();
        return usage.user + usage.system;
      },
    },
    () => gateway.stop(),
  );
});
