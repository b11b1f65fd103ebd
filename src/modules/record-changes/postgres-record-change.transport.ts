import { createHash, randomUUID } from "node:crypto";

import type { Client } from "pg";
import type { DataSource } from "typeorm";

import type { DatabaseConnection } from "../../database/data-source";
import type { Logger } from "../../logging/logger";
import type {
  RecordChange,
  RecordChangeOperation,
  RecordChangeSource,
} from "./record-change.event";

type PostgresConnection = Extract<DatabaseConnection, { kind: "postgres" }>;

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: stay well below. */
export const MAX_PAYLOAD_BYTES = 7500;

/** After a lost LISTEN connection: 0.25 s, doubling, at most 10 s between attempts. */
const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/** One NOTIFY payload: a change, or a part of one when its sys_ids do not fit in one. */
interface WireChange {
  /** The origin transport: a replica skips its own notifications (it delivered them locally). */
  readonly o: string;
  readonly i: string;
  readonly t: string;
  readonly s: readonly string[];
  readonly op: RecordChangeOperation;
  readonly src: RecordChangeSource;
  readonly r: string | null;
  readonly c: string;
}

/** The channel of one schema (`record_changes:<schema>`), hashed when past 63 bytes. */
export function channelOf(schema: string): string {
  const channel = `record_changes:${schema}`;
  return Buffer.byteLength(channel) <= 63
    ? channel
    : `record_changes:${createHash("sha1").update(schema).digest("hex")}`;
}

/** The payloads of a change: sys_ids packed greedily so each payload stays below the limit. */
export function payloadsOf(origin: string, change: RecordChange): string[] {
  const base: WireChange = {
    o: origin,
    i: change.integrationId,
    t: change.table,
    s: [],
    op: change.operation,
    src: change.source,
    r: change.syncRunId,
    c: change.committedAt.toISOString(),
  };
  const baseBytes = Buffer.byteLength(JSON.stringify(base));
  const payloads: string[] = [];
  let chunk: string[] = [];
  let bytes = baseBytes;
  for (const sysId of change.sysIds) {
    // Each sys_id adds itself quoted (JSON-escaped) and a comma.
    const added = Buffer.byteLength(JSON.stringify(sysId)) + 1;
    if (chunk.length > 0 && bytes + added > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ ...base, s: chunk }));
      chunk = [];
      bytes = baseBytes;
    }
    chunk.push(sysId);
    bytes += added;
  }
  if (chunk.length > 0) {
    payloads.push(JSON.stringify({ ...base, s: chunk }));
  }
  return payloads;
}

function changeOf(payload: string): (RecordChange & { readonly origin: string }) | null {
  try {
    const wire = JSON.parse(payload) as Partial<WireChange>;
    if (
      typeof wire.o !== "string" ||
      typeof wire.i !== "string" ||
      typeof wire.t !== "string" ||
      !Array.isArray(wire.s) ||
      typeof wire.c !== "string"
    ) {
      return null;
    }
    return {
      origin: wire.o,
      integrationId: wire.i,
      table: wire.t,
      sysIds: wire.s,
      operation: wire.op as RecordChangeOperation,
      source: wire.src as RecordChangeSource,
      syncRunId: wire.r ?? null,
      committedAt: new Date(wire.c),
    };
  } catch {
    return null;
  }
}

/**
 * Record changes across replicas sharing one PostgreSQL database: each replica NOTIFYs its own
 * committed changes on its schema's channel (through the DataSource's pool, in commit order)
 * and LISTENs on a dedicated connection for the others'. That connection reconnects with
 * backoff when lost; changes NOTIFYed meanwhile are not seen by this replica's subscribers
 * (the cache itself is unaffected: every replica reads the same database).
 */
export class PostgresRecordChangeTransport {
  /** This transport's id: two gateways in one process (tests) are two origins. */
  readonly origin = randomUUID();
  private client: Client | null = null;
  private channel: string | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: PostgresConnection,
    private readonly dataSource: DataSource,
    private readonly deliver: (change: RecordChange) => void,
    private readonly logger: Logger,
  ) {}

  /**
   * Connects and LISTENs. A failure does not fail start-up (the database answered a moment
   * ago): it is logged and retried with backoff, as a lost connection is.
   */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        "could not listen for other replicas' record changes yet; retrying",
      );
      this.scheduleReconnect();
    }
  }

  /** Sends a change committed here to the other replicas; never throws (it is committed). */
  send(change: RecordChange): void {
    const channel = this.channel;
    if (channel === null || this.stopped) {
      return;
    }
    const payloads = payloadsOf(this.origin, change);
    this.sending = this.sending.then(async () => {
      for (const payload of payloads) {
        try {
          await this.dataSource.query("SELECT pg_notify($1, $2)", [channel, payload]);
        } catch (error) {
          this.logger.warn(
            { err: error, table: change.table, integrationId: change.integrationId },
            "could not notify other replicas of a record change",
          );
          return;
        }
      }
    });
  }

  /** Stops listening and waits for notifications in flight (gateway stop, before the pool). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    await this.sending;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // Required here, not imported: a gateway on SQLite never loads pg.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client: PgClient } = require("pg") as typeof import("pg");
    const client = new PgClient({
      connectionString: this.connection.url,
      connectionTimeoutMillis: this.connection.connectTimeoutMs,
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, null));
    try {
      await client.connect();
      if (this.connection.schema !== undefined) {
        await client.query(`SET search_path TO "${this.connection.schema.replaceAll('"', '""')}"`);
      }
      const { rows } = await client.query<{ schema: string }>("SELECT current_schema() AS schema");
      const channel = channelOf(rows[0]?.schema ?? "public");
      client.on("notification", (message) => {
        if (message.channel === channel && message.payload !== undefined) {
          this.received(message.payload);
        }
      });
      await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.channel = channel;
      if (this.attempts > 0) {
        this.logger.info(
          { attempts: this.attempts },
          "listening for other replicas' record changes again",
        );
      }
      this.attempts = 0;
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private received(payload: string): void {
    const change = changeOf(payload);
    if (change === null) {
      this.logger.warn("ignored a record change notification that is not one of ours");
      return;
    }
    if (change.origin === this.origin) {
      return;
    }
    const { origin: _origin, ...delivered } = change;
    this.deliver(delivered);
  }

  /** The LISTEN connection died: reconnect with backoff until it works or the gateway stops. */
  private lost(client: Client, error: Error | null): void {
    if (this.client !== client || this.stopped) {
      return;
    }
    this.client = null;
    this.logger.warn(
      { reason: error?.message ?? "connection ended" },
      "lost the connection that listens for other replicas' record changes; reconnecting",
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(RECONNECT_BASE_MS * 2 ** this.attempts, RECONNECT_MAX_MS);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) {
        return;
      }
      this.connect().catch((error: unknown) => {
        this.logger.warn(
          {
            reason: error instanceof Error ? error.message : String(error),
            attempts: this.attempts,
          },
          "could not listen for other replicas' record changes yet; retrying",
        );
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }
}
