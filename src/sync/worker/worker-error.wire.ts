import { ServiceNowError, type ServiceNowErrorInit } from "../../servicenow";
import { MappingError, type MappingErrorInit } from "../mappers/mapping.error";
import {
  codeOf,
  databaseWire,
  type DatabaseWireError,
  WorkerDatabaseError,
} from "./worker-database.error";

export { WorkerDatabaseError } from "./worker-database.error";

/**
 * An error as it crosses between the sync worker and the main thread: structured clone keeps
 * only an Error's message, so each kind carries the fields its class is rebuilt from (code,
 * retryable, status…). Never a cause, a request's parameters or a header.
 */
export type WireError =
  | {
      readonly kind: "servicenow";
      readonly init: Omit<ServiceNowErrorInit, "cause">;
      readonly outcomeUnknown?: boolean;
      readonly attempts?: number;
    }
  | { readonly kind: "mapping"; readonly init: Omit<MappingErrorInit, "cause"> }
  | DatabaseWireError
  /** The job stopped because the main thread aborted it: main rethrows its own reason. */
  | { readonly kind: "aborted" }
  | {
      readonly kind: "other";
      readonly name: string;
      readonly message: string;
      readonly code?: string;
    };

export function toWire(error: unknown, aborted: boolean): WireError {
  if (aborted) {
    return { kind: "aborted" };
  }
  if (error instanceof ServiceNowError) {
    return {
      kind: "servicenow",
      init: {
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        status: error.status,
        method: error.method,
        url: error.url,
        serviceNowMessage: error.serviceNowMessage,
        serviceNowDetail: error.serviceNowDetail,
        retryAfterMs: error.retryAfterMs,
        networkCode: error.networkCode,
        needsReauthorization: error.needsReauthorization,
        field: error.field,
      },
      outcomeUnknown: error.outcomeUnknown,
      attempts: error.attempts,
    };
  }
  if (error instanceof MappingError) {
    return {
      kind: "mapping",
      init: {
        code: error.code,
        table: error.table,
        sysId: error.sysId,
        field: error.field,
        message: error.message,
      },
    };
  }
  if (error instanceof WorkerDatabaseError) {
    return databaseWire(error);
  }
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "other", name, message, code: codeOf(error) };
}

/**
 * The error a wire form stands for, on either side, with the same class, code, retryable flag
 * and message. Database errors come back as the driver's would (name, code, message); the main
 * thread wraps them as TypeORM does (`sync-worker.host.ts`).
 */
export function fromWire(wire: WireError): Error {
  switch (wire.kind) {
    case "servicenow": {
      const error = new ServiceNowError(wire.init);
      if (wire.outcomeUnknown !== undefined) {
        error.outcomeUnknown = wire.outcomeUnknown;
      }
      if (wire.attempts !== undefined) {
        error.attempts = wire.attempts;
      }
      return error;
    }
    case "mapping":
      return new MappingError(wire.init);
    case "aborted":
      return new Error("aborted");
    case "database":
    case "other": {
      const error = new Error(wire.message) as Error & { code?: string };
      error.name = wire.name;
      if (wire.code !== undefined) {
        error.code = wire.code;
      }
      return error;
    }
  }
}
