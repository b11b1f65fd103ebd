export type { CompiledQuery } from "./encoded-query.evaluator";
export { compileQuery, dateTimeLiteralToUtc } from "./encoded-query.evaluator";
export type { ParsedQuery, QueryCondition, QueryOperator } from "./encoded-query.parser";
export { parseEncodedQuery } from "./encoded-query.parser";
export type {
  AuthKind,
  BrowserConsent,
  SimOAuthClient,
  SimOAuthClientInput,
  SimUser,
  SimUserInput,
} from "./simulator.auth";
export { SimulatorError, type SimulatorErrorCode } from "./simulator.errors";
export type { FaultKind, FaultMatch, FaultSpec } from "./simulator.faults";
export type { DatasetOptions, DatasetSummary } from "./simulator.generator";
export { DATASET_DEFAULTS, generateDataset, mulberry32 } from "./simulator.generator";
export type { SimRequestLogEntry } from "./simulator.http";
export type { RateLimitRule } from "./simulator.rate-limit";
export type { AclRule, SimulatorOptions, StartedSimulator } from "./simulator.server";
export { createSimulator, Simulator } from "./simulator.server";
export type { FieldInput, FieldsInput, SimRecord } from "./simulator.store";
export {
  DEFAULT_WEBHOOK_TABLES,
  SimulatorWebhooks,
  type SimWebhookStatus,
  type SimWebhookTarget,
  type SimWriteOperation,
} from "./simulator.webhooks";
