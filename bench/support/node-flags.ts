import fs from "node:fs";
import path from "node:path";

/**
 * The Node/V8 flags of `npm start` (package.json's start script, between `node` and the entry),
 * so benchmark children run the gateway as it runs in production.
 */
export function startScriptNodeFlags(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
  ) as { scripts: Record<string, string> };
  const start = /\bnode((?:\s+--\S+)*)\s+dist\/src\/index\.js/.exec(manifest.scripts.start);
  if (!start) {
    throw new Error(`package.json's start script does not run dist/src/index.js with node`);
  }
  return start[1].split(/\s+/).filter((flag) => flag !== "");
}
