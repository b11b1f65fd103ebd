import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const SRC = join(ROOT, "src");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("production build", () => {
  it("leaves the ServiceNow simulator out of dist/", () => {
    const build = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8")) as {
      exclude?: string[];
    };
    expect(build.exclude).toContain("src/simulator");
  });

  it("has no gateway module importing the simulator (tsc would pull it back into dist/)", () => {
    const importers = sourceFiles(SRC)
      .filter((path) => !relative(SRC, path).startsWith("simulator"))
      .filter((path) => /from "[^"]*\/simulator(\/|")/.test(readFileSync(path, "utf8")))
      .map((path) => relative(ROOT, path));
    expect(importers).toEqual([]);
  });
});
