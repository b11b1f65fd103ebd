import { execFileSync } from "node:child_process";
import path from "node:path";

const MODULE = path.join(__dirname, "..", "..", "src", "sync", "worker", "young-generation.ts");

/**
 * In a process started as `npm start` starts the gateway (`--max-semi-space-size=2`), the new
 * space of a worker started through it and of one started plainly, with the same limits, and of
 * the main thread afterwards (each after allocating enough to grow it to its maximum).
 */
function newSpaces(): { viaHelper: number; plain: number; main: number } {
  const script = `
    const v8 = require("node:v8");
    const { Worker } = require("node:worker_threads");
    const { startWorkerWithYoungGeneration } = require(${JSON.stringify(MODULE)});
    const body = \`
      const v8 = require("node:v8");
      const keep = [];
      for (let r = 0; r < 60; r++) { const page = []; for (let i = 0; i < 20000; i++) page.push({ a: "x" + i }); keep.push(page); if (keep.length > 2) keep.shift(); }
      require("node:worker_threads").parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size);
    \`;
    const limits = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 128 };
    const sizeOf = (worker) => new Promise((resolve) => worker.once("message", (size) => { void worker.terminate(); resolve(size); }));
    (async () => {
      const viaHelper = await sizeOf(startWorkerWithYoungGeneration(body, { eval: true, resourceLimits: limits }));
      const plain = await sizeOf(new Worker(body, { eval: true, resourceLimits: limits }));
      const keep = [];
      for (let r = 0; r < 60; r++) { const page = []; for (let i = 0; i < 20000; i++) page.push({ a: "x" + i }); keep.push(page); if (keep.length > 2) keep.shift(); }
      const main = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
      process.stdout.write(JSON.stringify({ viaHelper, plain, main }));
    })();
  `;
  const output = execFileSync(
    process.execPath,
    ["--max-semi-space-size=2", "-r", "@swc-node/register", "-e", script],
    { encoding: "utf8", cwd: path.join(__dirname, "..", "..") },
  );
  return JSON.parse(output) as { viaHelper: number; plain: number; main: number };
}

describe("startWorkerWithYoungGeneration", () => {
  it("gives a worker the young generation its limits ask for, where the process flag capped it, and leaves the main thread's", () => {
    const { viaHelper, plain, main } = newSpaces();
    const MB = 1024 * 1024;
    // 24 MB of young generation is two 8 MB semi-spaces (16 MB of new space); the flag allows 2.
    expect(viaHelper).toBeGreaterThanOrEqual(12 * MB);
    expect(plain).toBeLessThanOrEqual(4 * MB);
    expect(main).toBeLessThanOrEqual(4 * MB);
  });
});
