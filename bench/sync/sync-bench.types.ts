/** Messages between the sync benchmark and its children. */

export const SIM_USER = "svc.gateway";
export const SIM_PASSWORD = "Bench-Integration-Pa55!";
/** The runner's default page size (SYNC_PAGE_SIZE). */
export const PAGE_SIZE = 500;

export interface SimulatorSizes {
  readonly incidents: number;
  readonly changes: number;
  readonly users: number;
  readonly groups: number;
}

export interface SimulatorReady {
  readonly url: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface DownloadResult {
  readonly ms: number;
  readonly records: number;
  readonly requests: number;
}

export interface SyncResult {
  readonly ms: number;
  readonly status: string;
  readonly error: string | null;
  readonly fetched: number;
  /** Records fetched per table, where any were. */
  readonly fetchedByTable: Readonly<Record<string, number>>;
  /** Peak RSS of the gateway process so far, MiB. */
  readonly peakRssMiB: number;
  /**
   * CPU time of the whole gateway process (every thread, GC included) during the run: unlike
   * its duration, barely moved by other load on the machine, so changes compare across runs.
   */
  readonly cpuMs: number;
}

export interface SyncChildReady {
  /** Peak RSS once the gateway is up and the integration validated, before any sync. */
  readonly startupPeakRssMiB: number;
  readonly graphqlUrl: string;
}
