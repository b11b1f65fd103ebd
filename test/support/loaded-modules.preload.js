// Test support, preloaded into a gateway process (NODE_OPTIONS=--require): on SIGUSR2 it writes
// the files the process has loaded (require.cache) to LOADED_MODULES_FILE, as JSON.
/* global process */
// Plain JavaScript: it loads before the TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require("node:fs");

process.on("SIGUSR2", () => {
  const file = process.env.LOADED_MODULES_FILE;
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(Object.keys(require.cache)));
  fs.renameSync(`${file}.tmp`, file);
});
