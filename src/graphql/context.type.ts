import type { ReadPlans } from "../database/read/read-plans";
import type { Logger } from "../logging/logger";
import type { Loaders } from "./loaders/loaders";

export type Role = "admin" | "viewer";

export interface Caller {
  readonly role: Role;
}

/** Per-request state: who calls, loaders that batch relations, a logger with the request id. */
export interface GraphQLContext {
  readonly caller: Caller;
  readonly loaders: Loaders;
  readonly logger: Logger;
  readonly requestId: string;
  /** The compiled read path of the root lists and lookups; null answers through services. */
  readonly readPlans: ReadPlans | null;
}
