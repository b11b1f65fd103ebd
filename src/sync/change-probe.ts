import {
  type EncodedQuery,
  keysetQuery,
  type RecordCursor,
  type ServiceNowClient,
} from "../servicenow";

export interface ChangeProbeOptions {
  readonly table: string;
  readonly cursorField: string;
  readonly scope?: EncodedQuery;
  /** Where the page loop would resume (`resumeCursor`): the overlap second included. */
  readonly after: RecordCursor | undefined;
  /** The zone the keyset literal is written in, as for the page loop. */
  readonly timeZone: string;
  readonly signal?: AbortSignal;
}

/**
 * Whether a keyset page loop resuming after `after` could read anything, in one small request:
 * the page loop's own first query (same keyset, overlap and zone) with `sysparm_limit=1` and
 * `sysparm_fields=sys_id`. It keeps the count: ServiceNow cuts the limit before ACLs, so an
 * empty answer alone may be one hidden row in front of readable ones (the page loop asks for
 * the count on its empty pages for the same reason), and X-Total-Count, counted before ACLs
 * over the rows past the watermark only, is 0 exactly when there is nothing to read. Any
 * answer but that (a row, a count, no count header) means "changed": the page loop decides.
 */
export async function probeForChanges(
  client: ServiceNowClient,
  options: ChangeProbeOptions,
): Promise<boolean> {
  const { encodedQuery } = keysetQuery({
    cursorField: options.cursorField,
    after: options.after,
    scope: options.scope,
    timeZone: options.timeZone,
  });
  const page = await client.getRecords(options.table, {
    query: encodedQuery,
    fields: ["sys_id"],
    limit: 1,
    displayValue: false,
    excludeReferenceLink: true,
    signal: options.signal,
  });
  return page.records.length > 0 || page.totalCount !== 0;
}

export interface IdleTableCheck {
  readonly table: { readonly name: string; readonly cursorField: string };
  readonly scope?: EncodedQuery;
  readonly after: RecordCursor | undefined;
  readonly full: boolean;
  readonly lastReconciledAt: Date | null | undefined;
  readonly reconcileEveryMs: number;
  readonly zone: RunZone;
  readonly signal?: AbortSignal;
  readonly now?: number;
}

/**
 * True when an incremental run may leave this table alone: its reconciliation is not due and
 * the probe shows nothing past the resume point. Full runs and due reconciliations never probe.
 */
export async function isIdleTable(
  client: ServiceNowClient,
  check: IdleTableCheck,
): Promise<boolean> {
  const lastReconciled = check.lastReconciledAt?.getTime() ?? 0;
  if (check.full || (check.now ?? Date.now()) - lastReconciled >= check.reconcileEveryMs) {
    return false;
  }
  const changed = await probeForChanges(client, {
    table: check.table.name,
    cursorField: check.table.cursorField,
    scope: check.scope,
    after: check.after,
    timeZone: await check.zone.forProbes(),
    signal: check.signal,
  });
  return !changed;
}

/** The zones of one run: pages always use a zone read in this run; probes may reuse one. */
export interface RunZone {
  /** Read from the instance once per run (then shared): what pages and watermarks use. */
  forPages(): Promise<string>;
  /** The stored zone while this process read it within `refreshMs`, else `forPages()`. */
  forProbes(): Promise<string>;
}

/** How long a probe may trust the stored zone: bounds the delay a zone change can cause. */
export const PROBE_ZONE_REFRESH_MS = 60 * 60 * 1000;

/**
 * Reading the API user's zone is a request of its own; an idle run at one-minute intervals
 * should not pay it every time. Probes reuse the zone this process last read, for at most
 * `refreshMs`. A zone change in between cannot lose records: pages are only ever read with a
 * zone read in the same run, from the committed watermark. A stale zone can only make a probe
 * look a little later or earlier: earlier shows already-synced rows (the page loop runs, reads
 * the new zone, nothing lost); later can hide changes in the gap until the next refresh.
 */
export class ProbeZones {
  private readonly readAt = new Map<string, number>();

  constructor(private readonly refreshMs = PROBE_ZONE_REFRESH_MS) {}

  forRun(
    integrationId: string,
    stored: string | null,
    read: () => Promise<string>,
    now = Date.now(),
  ): RunZone {
    let fresh: Promise<string> | undefined;
    const forPages = () =>
      (fresh ??= read().then((zone) => {
        this.readAt.set(integrationId, Date.now());
        return zone;
      }));
    const lastRead = this.readAt.get(integrationId);
    const trusted = stored !== null && lastRead !== undefined && now - lastRead < this.refreshMs;
    return {
      forPages,
      forProbes: () => fresh ?? (trusted ? Promise.resolve(stored) : forPages()),
    };
  }
}
