/** What went wrong in a simulator control call; the /__sim endpoints map each code to a status. */
export type SimulatorErrorCode =
  | "UNKNOWN_TABLE"
  | "UNKNOWN_FIELD"
  | "INVALID_VALUE"
  | "NOT_FOUND"
  | "DUPLICATE"
  | "INVALID_INPUT"
  | "NOT_RUNNING";

export class SimulatorError extends Error {
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SimulatorError";
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
