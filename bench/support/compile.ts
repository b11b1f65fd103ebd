import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The repository root (bench/support/../..). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Compiles a benchmark entry point and everything it imports to plain JavaScript with tsc (no
 * type check: `npm run typecheck` does that), so a child can run without the TypeScript loader,
 * as `npm start` runs the product. The loader alone adds about 120 MiB of RSS, which would
 * swamp a memory measurement. All of src/ is compiled too, for its lazily required modules. Returns the compiled file's path.
 */
export function compileEntry(entry: string, outDir: string): string {
  const tsconfig = path.join(outDir, "tsconfig.json");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(REPO_ROOT, "tsconfig.json"),
      compilerOptions: {
        outDir,
        rootDir: REPO_ROOT,
        noCheck: true,
        sourceMap: false,
        types: ["node"],
        typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
      },
      files: [path.join(REPO_ROOT, "bench", entry)],
      // What the product loads on first use (migrations, the dashboard…) is not imported statically.
      include: [path.join(REPO_ROOT, "src", "**", "*.ts")],
    }),
  );
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", tsconfig], {
    stdio: "inherit",
  });
  return path.join(outDir, "bench", entry.replace(/\.ts$/, ".js"));
}
