import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  freePort,
  type GatewayExit,
  killGatewayProcesses,
  startGatewayProcess,
} from "../support/gateway-process";

const ROOT = path.resolve(__dirname, "../..");
/** "Within a couple of seconds", with room for a loaded CI machine. */
const STOP_WITHIN_MS = 5_000;

// Apollo Server installs its own SIGINT/SIGTERM handlers unless NODE_ENV is "test", and those
// made a stop hang: these processes run as a person runs them.
const AS_RUN = "development";

const dirs: string[] = [];
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-signals-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await killGatewayProcesses();
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Resolves with the exit, or null when the process is still running after `ms`. */
function exitWithin(exited: Promise<GatewayExit>, ms: number): Promise<GatewayExit | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    exited,
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe("stopping on a signal", () => {
  // Without the demo's simulator holding the loop open, the gateway exited even when its stop()
  // hung; this guards the stop itself staying quick.
  it("the gateway exits 0 on SIGTERM", async () => {
    const dir = freshDir();
    const gateway = await startGatewayProcess({
      database: { kind: "sqlite", path: path.join(dir, "gateway.sqlite") },
      dataDir: dir,
      env: { NODE_ENV: AS_RUN },
    });
    // A kept-alive connection, as a browser holds one.
    expect((await gateway.graphql("{ __typename }")).data).toEqual({ __typename: "Query" });
    process.kill(gateway.pid, "SIGTERM");
    const exit = await exitWithin(gateway.exited, STOP_WITHIN_MS);
    expect(exit ?? gateway.output()).toEqual({ code: 0, signal: null });
  });

  it("npm run demo stops on Ctrl+C (SIGINT) and exits 0", async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ["-r", "@swc-node/register", "scripts/demo.ts"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? dir,
        NODE_ENV: AS_RUN,
        DATA_DIR: dir,
        DATABASE_URL: "",
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
        DEMO_INCIDENTS: "50",
        LOG_LEVEL: "warn",
      },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const exited = new Promise<GatewayExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    try {
      const deadline = Date.now() + 45_000;
      while (!output.includes("Ctrl+C stops both") && Date.now() < deadline) {
        if (child.exitCode !== null) {
          throw new Error(`the demo exited before it was ready:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain("Ctrl+C stops both");
      child.kill("SIGINT");
      const exit = await exitWithin(exited, STOP_WITHIN_MS);
      expect(exit ?? output).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
      }
    }
  });
});
