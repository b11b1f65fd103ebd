import type { ReadPlans } from "../database/read/read-plans";
import type { Logger } from "../logging/logger";
import type { RecordChangeFeed } from "../modules/record-changes/record-change.feed";
import type { Loaders } from "./loaders/loaders";

/** admin: everything; writer: read and the incident mutations; viewer: read. */
export type Role = "admin" | "viewer" | "writer";

export interface Caller {
  readonly role: Role;
  /** The token's name for the audit log (`admin`, `viewer-1`, a writer token's name). */
  readonly tokenName: string;
}

/** Per-request state: who calls, loaders that batch relations, a logger with the request id. */
export interface GraphQLContext {
  readonly caller: Caller;
  readonly loaders: Loaders;
  readonly logger: Logger;
  readonly requestId: string;
  /** The compiled read path of the root lists and lookups; null answers through services. */
  readonly readPlans: ReadPlans | null;
  /** A subscription's committed changes (graphql-ws); absent over HTTP, which has none. */
  readonly recordChanges?: RecordChangeFeed;
}
