import { SimulatorError } from "./simulator.errors";

/**
 * Scripted failures: the next `times` matching requests fail the way real instances and their
 * load balancers do. Faults fire in the order they were injected and never touch /__sim.
 */

export const FAULT_KINDS = [
  "status",
  "delay",
  "reset",
  "html",
  "malformed",
  "rateLimit",
  "timeout",
  "dropResponse",
] as const;

/**
 * status: a 5xx with a ServiceNow error body. delay: answer normally after `delayMs`. reset: destroy
 * the socket. html: 200 text/html hibernation page. malformed: 200 JSON cut short. rateLimit: 429
 * with Retry-After. timeout: never answer until the client gives up. dropResponse: serve the
 * request (a POST is committed) and then destroy the socket instead of answering.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultMatch {
  /** Only Table API requests on this table. */
  readonly table?: string;
  /** Only requests whose path starts with this, e.g. "/oauth_token.do". */
  readonly pathPrefix?: string;
  /** Only requests with this HTTP method, e.g. "POST". */
  readonly method?: string;
}

export interface FaultSpec {
  readonly kind: FaultKind;
  /** How many matching requests fail; default 1. */
  readonly times?: number;
  readonly match?: FaultMatch;
  /** For "status": 500, 502, 503 (default) or any other 4xx/5xx. */
  readonly status?: number;
  /** For "delay": milliseconds before answering normally (default 1000). */
  readonly delayMs?: number;
  /** For "rateLimit": the Retry-After value (default 1). */
  readonly retryAfterSeconds?: number;
}

export interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly remaining: number;
}

export interface FaultTarget {
  readonly path: string;
  readonly method?: string;
  readonly table: string | null;
}

interface FaultState {
  readonly id: string;
  readonly spec: FaultSpec;
  remaining: number;
}

function isFaultKind(kind: unknown): kind is FaultKind {
  return typeof kind === "string" && (FAULT_KINDS as readonly string[]).includes(kind);
}

/** Checks a spec that may come from JSON over /__sim/faults. */
export function validateFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== "object" || input === null) {
    throw new SimulatorError("INVALID_INPUT", "A fault is an object with a kind");
  }
  const spec = input as Record<string, unknown>;
  if (!isFaultKind(spec.kind)) {
    throw new SimulatorError("INVALID_INPUT", `kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const positiveInt = (name: string, value: unknown): void => {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0)) {
      throw new SimulatorError("INVALID_INPUT", `${name} must be a non-negative integer`);
    }
  };
  positiveInt("times", spec.times);
  positiveInt("delayMs", spec.delayMs);
  positiveInt("retryAfterSeconds", spec.retryAfterSeconds);
  if (
    spec.status !== undefined &&
    (!Number.isInteger(spec.status) ||
      (spec.status as number) < 400 ||
      (spec.status as number) > 599)
  ) {
    throw new SimulatorError("INVALID_INPUT", "status must be an HTTP error status (400-599)");
  }
  const match = spec.match;
  if (match !== undefined && (typeof match !== "object" || match === null)) {
    throw new SimulatorError("INVALID_INPUT", "match must be an object");
  }
  return input as FaultSpec;
}

export class FaultInjector {
  private faults: FaultState[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): ActiveFault {
    const valid = validateFaultSpec(spec);
    const state: FaultState = {
      id: `fault-${this.nextId++}`,
      spec: valid,
      remaining: valid.times ?? 1,
    };
    if (state.remaining > 0) {
      this.faults.push(state);
    }
    return { ...state };
  }

  /** The fault this request suffers, if any; counts it against the fault's `times`. */
  take(target: FaultTarget): ActiveFault | null {
    const fault = this.faults.find((f) => matches(f.spec.match, target));
    if (!fault) {
      return null;
    }
    fault.remaining--;
    if (fault.remaining <= 0) {
      this.faults = this.faults.filter((f) => f !== fault);
    }
    return { ...fault };
  }

  clear(id?: string): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  get active(): readonly ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  if (!match) {
    return true;
  }
  if (match.table !== undefined && match.table !== target.table) {
    return false;
  }
  if (match.pathPrefix !== undefined && !target.path.startsWith(match.pathPrefix)) {
    return false;
  }
  if (match.method !== undefined && match.method.toUpperCase() !== target.method) {
    return false;
  }
  return true;
}
