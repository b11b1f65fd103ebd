import type { Logger } from "../../logging/logger";
import type { RecordChange, RecordChangePublisher } from "./record-change.event";

/** Receives every change published on the bus; it must not throw or block. */
export type RecordChangeListener = (change: RecordChange) => void;

/**
 * Where committed changes meet their subscribers within one process. Publishing is synchronous
 * and never fails the caller: a listener that throws is logged and the others still run, because
 * the change is already committed and a subscriber's fault must not fail a sync page or a webhook.
 * Across replicas a transport (PostgreSQL LISTEN/NOTIFY) feeds `deliver` with other processes'
 * changes.
 */
export class RecordChangeBus implements RecordChangePublisher {
  private readonly listeners = new Set<RecordChangeListener>();
  private forward: RecordChangeListener | null = null;

  constructor(private readonly logger: Logger) {}

  /** Announces a change committed by this process: to local listeners, then to other replicas. */
  publish(change: RecordChange): void {
    this.deliver(change);
    this.forward?.(change);
  }

  /** Hands a change to local listeners only (a transport calls it with other replicas' changes). */
  deliver(change: RecordChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(
          { err: error, table: change.table, integrationId: change.integrationId },
          "a record change listener failed",
        );
      }
    }
  }

  /** Calls `listener` with every change from now on; the returned function stops it. */
  subscribe(listener: RecordChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Where this process's changes go besides its own listeners (one transport at most). */
  forwardTo(forward: RecordChangeListener | null): void {
    this.forward = forward;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
