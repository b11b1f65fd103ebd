/** process.memoryUsage() of the gateway's process at one point of its start-up, in MiB. */
export interface MemorySample {
  readonly phase: string;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  /** Modules in require.cache. */
  readonly modules: number;
}

export interface StartupChildReady {
  readonly graphqlUrl: string;
  /** bare node, imports, listening, database ready, gateway ready. */
  readonly phases: MemorySample[];
  /** Loaded modules a plain start must not need (see LAZY_MODULES). */
  readonly lazyLoaded: string[];
}

/** Modules the gateway loads only once a feature is used (paths inside the repository or a package). */
export const LAZY_MODULES = [
  "/src/database/migrations/sqlite/1",
  "/src/database/migrations/postgres/1",
  "/src/http/dashboard/dashboard.page",
  "/src/http/dashboard/dashboard.script",
  "/node_modules/pg/",
  "/node_modules/@aws-sdk/",
  "/node_modules/@apollo/server/dist/cjs/plugin/landingPage/",
] as const;
