import type { ChangedRecordsReader } from "./changed-records.reader";
import type { RecordChange } from "./record-change.event";

/**
 * What a subscription's context offers its resolvers (graphql-ws only): the committed changes
 * from now on, through the subscription's bounded queue, and the records they changed.
 */
export interface RecordChangeFeed {
  /** Changes that `accept` keeps; the iterator ends when the subscriber is dropped or leaves. */
  listen(accept: (change: RecordChange) => boolean): AsyncIterableIterator<RecordChange>;
  readonly records: ChangedRecordsReader;
}
