import type { RecordChange } from "./record-change.event";

/** How much may wait for one subscriber before it is dropped. */
export interface RecordChangeQueueLimits {
  readonly events: number;
  readonly bytes: number;
}

/** More than 1,000 events or 8 MiB waiting: the subscriber does not keep up. */
export const DEFAULT_QUEUE_LIMITS: RecordChangeQueueLimits = {
  events: 1000,
  bytes: 8 * 1024 * 1024,
};

export interface RecordChangeQueueHooks {
  /** The limits were exceeded: the queue has ended; the caller drops the subscriber. */
  readonly onOverflow: () => void;
  /** The queue ended, whatever the reason (its listener is removed already). */
  readonly onEnd?: () => void;
}

/** Where the queue listens: the bus, or anything that hands over changes the same way. */
export interface RecordChangeSubscribable {
  subscribe(listener: (change: RecordChange) => void): () => void;
}

/** Roughly what a change costs to hold and send: its sys_ids as JSON plus the other fields. */
function sizeOf(change: RecordChange): number {
  let bytes = 256;
  for (const sysId of change.sysIds) {
    bytes += sysId.length + 3;
  }
  return bytes;
}

/**
 * One subscription's changes, as an async iterator: changes `accept` keeps are handed to a
 * waiting `next()` or queued until the subscriber asks. The bus publishes synchronously and
 * never waits, so a subscriber that reads slower than changes commit would hold them without
 * bound; past the limits the queue ends instead and `onOverflow` drops the subscriber.
 */
export class RecordChangeQueue implements AsyncIterableIterator<RecordChange> {
  private readonly waiting: RecordChange[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;
  private pull: ((result: IteratorResult<RecordChange>) => void) | null = null;
  private ended = false;
  private readonly unsubscribe: () => void;

  constructor(
    source: RecordChangeSubscribable,
    private readonly accept: (change: RecordChange) => boolean,
    private readonly limits: RecordChangeQueueLimits,
    private readonly hooks: RecordChangeQueueHooks,
  ) {
    this.unsubscribe = source.subscribe((change) => this.push(change));
  }

  /** Changes waiting for the subscriber to ask for them. */
  get length(): number {
    return this.waiting.length;
  }

  next(): Promise<IteratorResult<RecordChange>> {
    const change = this.waiting.shift();
    if (change !== undefined) {
      this.bytes -= this.sizes.shift() ?? 0;
      return Promise.resolve({ value: change, done: false });
    }
    if (this.ended) {
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.pull = resolve;
    });
  }

  /** The subscriber is gone (complete, socket closed): stop listening, drop what waits. */
  return(): Promise<IteratorResult<RecordChange>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private push(change: RecordChange): void {
    if (this.ended || !this.accept(change)) {
      return;
    }
    const pull = this.pull;
    if (pull !== null) {
      this.pull = null;
      pull({ value: change, done: false });
      return;
    }
    const size = sizeOf(change);
    this.waiting.push(change);
    this.sizes.push(size);
    this.bytes += size;
    if (this.waiting.length > this.limits.events || this.bytes > this.limits.bytes) {
      this.end();
      this.hooks.onOverflow();
    }
  }

  private end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.unsubscribe();
    this.waiting.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
    const pull = this.pull;
    this.pull = null;
    pull?.({ value: undefined, done: true });
    this.hooks.onEnd?.();
  }
}
