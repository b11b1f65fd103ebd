import { setTimeout as delay } from "node:timers/promises";

import type { DataSource } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import {
  type ConnectionResult,
  keysetConnection,
  orderingSignature,
  type SortKey,
} from "../../database/keyset";
import { cursorScopeOf } from "../../database/keyset-cursor";
import { SYS_ID_PATTERN, whereEquals } from "../../database/query-filters";
import type { Caller } from "../../graphql/context.type";
import { pageSize } from "../../graphql/pagination/order-keys";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import type { Logger } from "../../logging/logger";
import {
  isServiceNowError,
  type RawRecord,
  type RetryOptions,
  type ServiceNowClient,
  type ServiceNowError,
  type WriteValues,
} from "../../servicenow";
import type { Incident } from "../incidents/incident.entity";
import { INCIDENT_STATE_VALUES } from "../incidents/incident.table";
import type { Integration } from "../integrations/integration.entity";
import type { IntegrationService } from "../integrations/integration.service";
import {
  CredentialsUnavailableError,
  type IntegrationConnectionFactory,
} from "../integrations/integration-connection.factory";
import { IncidentCacheWriter } from "./incident-cache.writer";
import { IncidentReferences } from "./incident-references.lookup";
import {
  JOURNAL_FIELD_OF,
  type JournalKind,
  WriteOperation,
  WriteOutcome,
} from "./incident-write.enums";
import type { CreateIncidentInput, UpdateIncidentInput } from "./incident-write.inputs";
import type { IncidentWriteResult } from "./incident-write-result.type";
import {
  nextUtcMidnight,
  type Reservation,
  WriteAllowanceRepository,
} from "./write-allowance.repository";
import { WriteLogEntry } from "./write-log.entity";
import { WriteLogRepository } from "./write-log.repository";

export interface IncidentWriteSettings {
  /** Per ServiceNow request. */
  readonly timeoutMs: number;
  /** A 429 is waited out when Retry-After is at most this. */
  readonly maxRetryAfterMs: number;
  /** How long a request waits for another one holding its correlation id. */
  readonly keyWaitMs: number;
  /** Reads (lookups) retry as the sync's do; writes are never retried once sent. */
  readonly retry?: Partial<RetryOptions>;
}

export interface IncidentWriteMetrics {
  incidentWriteFinished(operation: string, outcome: string): void;
}

export interface WriteLogArgs {
  readonly integrationId?: string | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** `correlation_display`: which system set the correlation id. */
export const CORRELATION_DISPLAY = "servicenow-graphql-gateway";
/** A value ServiceNow's encoded queries can hold exactly (no `^`, no control characters). */
const CORRELATION_ID = /^(?!javascript:)[^^\p{Cc}]{1,100}$/u;
const KEY_POLL_MS = 100;
const TEXT_MAX = 4000;

/** ServiceNow's words for the fields its data policies name, mapped to the inputs that fill them. */
const INPUT_OF_LABEL: Readonly<Record<string, string>> = {
  "short description": "input.shortDescription",
  caller: "input.callerUserName",
  "assignment group": "input.assignmentGroup",
  "assigned to": "input.assignedToUserName",
  "resolution code": "input.closeCode",
  "resolution notes": "input.closeNotes",
  short_description: "input.shortDescription",
  caller_id: "input.callerUserName",
  assignment_group: "input.assignmentGroup",
  assigned_to: "input.assignedToUserName",
  close_code: "input.closeCode",
  close_notes: "input.closeNotes",
};

interface Attempt {
  readonly caller: Caller;
  readonly operation: WriteOperation;
  readonly integrationId: string;
  readonly sysId: string | null;
  readonly correlationId: string | null;
}

/** The outcome of one try at ServiceNow, before it becomes a result or an error. */
interface Sent {
  readonly record: RawRecord;
  readonly status: number;
}

/**
 * Incident writes: ServiceNow first, with the integration's own credentials, then the cache.
 * Each attempt is logged; the daily allowance is reserved in the database before anything is
 * sent; a correlation id makes a create idempotent across retries and replicas.
 */
export class IncidentWriteService {
  private readonly log: WriteLogRepository;
  private readonly allowance: WriteAllowanceRepository;
  private readonly cache: IncidentCacheWriter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationService,
    private readonly connections: IntegrationConnectionFactory,
    private readonly settings: IncidentWriteSettings,
    private readonly logger: Logger,
    private readonly metrics: IncidentWriteMetrics,
  ) {
    this.log = new WriteLogRepository(dataSource);
    this.allowance = new WriteAllowanceRepository(dataSource);
    this.cache = new IncidentCacheWriter(dataSource);
  }

  /** Newest first. */
  async writeLog(args: WriteLogArgs): Promise<ConnectionResult<WriteLogEntry>> {
    const filtered = () => {
      const query = this.dataSource.getRepository(WriteLogEntry).createQueryBuilder("entry");
      whereEquals(query, "integrationId", args.integrationId, "integrationId");
      return query;
    };
    const keys: SortKey[] = [{ property: "at", direction: "DESC", nullable: false, kind: "date" }];
    return keysetConnection(filtered, {
      keys,
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
      scope: cursorScopeOf({
        table: "write_log",
        integrationId: args.integrationId,
        filter: {},
        ordering: orderingSignature(keys),
      }),
    });
  }

  async create(
    caller: Caller,
    integrationId: string,
    input: CreateIncidentInput,
  ): Promise<IncidentWriteResult> {
    const correlationId = optionalText(input.correlationId);
    if (correlationId !== null && !CORRELATION_ID.test(correlationId)) {
      throw GatewayError.badInput(
        "input.correlationId",
        "correlationId must be 1 to 100 characters without ^ or control characters",
      );
    }
    const attempt: Attempt = {
      caller,
      operation: WriteOperation.CREATE_INCIDENT,
      integrationId,
      sysId: null,
      correlationId,
    };
    return this.run(attempt, async (integration, client, entry) => {
      const values = () => this.createValues(integration, client, input, correlationId);
      if (correlationId === null) {
        const body = await values();
        return this.send(attempt, integration, client, entry, () =>
          this.post(integration, client, body),
        );
      }
      return this.createOnce(attempt, integration, client, entry, correlationId, values);
    });
  }

  async update(
    caller: Caller,
    integrationId: string,
    sysId: string,
    input: UpdateIncidentInput,
  ): Promise<IncidentWriteResult> {
    checkSysId(sysId);
    const attempt: Attempt = {
      caller,
      operation: WriteOperation.UPDATE_INCIDENT,
      integrationId,
      sysId,
      correlationId: null,
    };
    return this.run(attempt, async (integration, client, entry) => {
      const values = await this.updateValues(integration, client, input);
      if (Object.keys(values).length === 0) {
        throw GatewayError.badInput("input", "Nothing to update: give at least one field.");
      }
      return this.send(attempt, integration, client, entry, () =>
        this.patch(integration, client, sysId, values),
      );
    });
  }

  async comment(
    caller: Caller,
    integrationId: string,
    sysId: string,
    kind: JournalKind,
    text: string,
  ): Promise<IncidentWriteResult> {
    checkSysId(sysId);
    const attempt: Attempt = {
      caller,
      operation: WriteOperation.ADD_INCIDENT_COMMENT,
      integrationId,
      sysId,
      correlationId: null,
    };
    return this.run(attempt, async (integration, client, entry) => {
      const body = requiredText(text, "text", 32_000);
      return this.send(attempt, integration, client, entry, () =>
        this.patch(integration, client, sysId, { [JOURNAL_FIELD_OF[kind]]: body }),
      );
    });
  }

  // --- one attempt, logged -----------------------------------------------------------------

  /**
   * Logs the attempt, checks the integration, builds its client and runs `body`; whatever
   * happens, the attempt's row and the metrics get its outcome.
   */
  private async run(
    attempt: Attempt,
    body: (
      integration: Integration,
      client: ServiceNowClient,
      entry: WriteLogEntry,
    ) => Promise<IncidentWriteResult>,
  ): Promise<IncidentWriteResult> {
    const integration = await this.integrations.getOrFail(attempt.integrationId, "integrationId");
    const entry = await this.log.start({
      role: attempt.caller.role,
      tokenName: attempt.caller.tokenName,
      operation: attempt.operation,
      integrationId: integration.id,
      sysId: attempt.sysId,
      correlationId: attempt.correlationId,
    });
    const started = performance.now();
    const log = this.logger.child({
      integrationId: integration.id,
      operation: attempt.operation,
      writeId: entry.id,
    });
    try {
      if (!integration.writeEnabled) {
        throw new GatewayError(
          "WRITES_DISABLED",
          "This integration does not write to ServiceNow: an admin can set writeEnabled: true.",
          "integrationId",
        );
      }
      let client: ServiceNowClient;
      try {
        client = await this.clientOf(integration);
      } catch (error) {
        if (error instanceof CredentialsUnavailableError) {
          // Its message names what is missing, never a secret.
          throw new GatewayError("SERVICENOW_UNAVAILABLE", `${error.message}; nothing was sent.`);
        }
        throw error;
      }
      const result = await body(integration, client, entry);
      if (entry.outcome === WriteOutcome.PENDING) {
        await this.log.finish(entry, { outcome: successOf(attempt.operation) });
      }
      await this.log.finish(entry, {
        sysId: result.incident.sysId,
        durationMs: Math.round(performance.now() - started),
      });
      log.info({ outcome: entry.outcome, sysId: result.incident.sysId }, "incident write");
      return result;
    } catch (error) {
      const outcome = entry.outcome === WriteOutcome.PENDING ? outcomeOf(error) : entry.outcome;
      await this.log.finish(entry, {
        outcome,
        durationMs: Math.round(performance.now() - started),
        error: error instanceof GatewayError ? error.message : "Internal error",
      });
      log.info({ outcome }, "incident write failed");
      throw error;
    } finally {
      this.metrics.incidentWriteFinished(attempt.operation, entry.outcome);
    }
  }

  /**
   * Reserves a transaction, sends, caches. A refusal, a rate limit or a request that never
   * reached ServiceNow gives the transaction back; a lost answer keeps it (it may have counted).
   */
  private async send(
    attempt: Attempt,
    integration: Integration,
    client: ServiceNowClient,
    entry: WriteLogEntry,
    request: () => Promise<Sent>,
  ): Promise<IncidentWriteResult> {
    const reservation = await this.reserve(integration);
    let sent: Sent;
    try {
      sent = await request();
    } catch (error) {
      const unknown = isServiceNowError(error) && error.outcomeUnknown === true;
      if (!unknown) {
        await this.allowance.release(integration.id, reservation.day);
      }
      throw await this.failure(attempt, entry, error);
    }
    await this.log.finish(entry, {
      servicenowStatus: sent.status,
      transaction: true,
      outcome: successOf(attempt.operation),
    });
    const created = attempt.operation === WriteOperation.CREATE_INCIDENT;
    return this.answer(integration, sent.record, created, reservation.used, attempt, client);
  }

  /** The write log's and the caller's view of a failure; the error to throw. */
  private async failure(attempt: Attempt, entry: WriteLogEntry, error: unknown): Promise<unknown> {
    if (!isServiceNowError(error)) {
      return error;
    }
    const translated = translate(error, attempt);
    await this.log.finish(entry, {
      servicenowStatus: error.status ?? null,
      outcome: outcomeOf(translated),
      error: translated.message,
      ...(error.outcomeUnknown === true ? { transaction: true } : {}),
    });
    return translated;
  }

  private async reserve(integration: Integration): Promise<Reservation> {
    const now = new Date();
    const cap = integration.expectedTransactionsPerDay;
    const reservation = await this.allowance.reserve(integration.id, cap, now);
    if (!reservation.ok) {
      const resetsAt = nextUtcMidnight(now);
      throw new GatewayError(
        "TRANSACTION_LIMIT_REACHED",
        `This integration's ${cap ?? 0} transactions for today (UTC) are used up; nothing was sent to ServiceNow. The allowance starts again at ${resetsAt.toISOString()}.`,
        undefined,
        { resetsAt: resetsAt.toISOString(), transactionsToday: reservation.used },
      );
    }
    return reservation;
  }

  private async answer(
    integration: Integration,
    raw: RawRecord,
    created: boolean,
    used: number,
    attempt: Attempt,
    client: ServiceNowClient,
  ): Promise<IncidentWriteResult> {
    // Only a comment adds a journal entry (the inputs carry no comments or work notes).
    const withJournal = attempt.operation === WriteOperation.ADD_INCIDENT_COMMENT;
    const incident = (await this.cache.store(integration, client, raw, withJournal)) as Incident;
    return this.result(integration, incident, created, used);
  }

  private result(
    integration: Integration,
    incident: Incident,
    created: boolean,
    used: number,
  ): IncidentWriteResult {
    const cap = integration.expectedTransactionsPerDay;
    return {
      incident,
      created,
      transactionsToday: used,
      transactionsLeftToday: cap === null ? null : Math.max(0, cap - used),
    };
  }

  private clientOf(integration: Integration): Promise<ServiceNowClient> {
    return this.connections.client(integration, {
      timeoutMs: this.settings.timeoutMs,
      retry: { ...this.settings.retry, maxRetryAfterMs: this.settings.maxRetryAfterMs },
      writeMaxRetryAfterMs: this.settings.maxRetryAfterMs,
    });
  }

  // --- idempotent create --------------------------------------------------------------------

  /**
   * A create with a correlation id: the request that claims the id sends the POST; any other
   * waits for the claim to settle and answers the incident it records (`created: false`). A
   * claim whose answer was lost is settled by looking the id up on the instance first.
   */
  private async createOnce(
    attempt: Attempt,
    integration: Integration,
    client: ServiceNowClient,
    entry: WriteLogEntry,
    key: string,
    values: () => Promise<WriteValues>,
  ): Promise<IncidentWriteResult> {
    const deadline = Date.now() + this.settings.keyWaitMs;
    for (;;) {
      if (await this.log.claim(entry, key)) {
        // This attempt's own row holds the key now: it sends the POST.
        let body: WriteValues;
        try {
          body = await values();
        } catch (error) {
          await this.log.finish(entry, { releaseKey: true });
          throw error;
        }
        return this.sendClaimed(attempt, integration, client, entry, entry, body, null);
      }
      const held = await this.log.claimOf(integration.id, key);
      if (held === null) {
        continue; // Released in between: try to claim it again.
      }
      if (held.outcome === WriteOutcome.CREATED && held.sysId !== null) {
        return this.duplicate(integration, client, entry, held.sysId);
      }
      const stale = Date.now() - held.at.getTime() > this.settings.keyWaitMs;
      if ((held.outcome === WriteOutcome.UNKNOWN || stale) && (await this.log.takeOver(held))) {
        // The first answer was lost (or its request died): this attempt settles the claim,
        // looking the key up before it sends anything.
        const body = await values();
        const reserved = held.transaction
          ? { ok: true, used: await this.allowance.used(integration.id, new Date()), day: "" }
          : null;
        return this.sendClaimed(attempt, integration, client, entry, held, body, reserved);
      }
      if (Date.now() > deadline) {
        throw new GatewayError(
          "SERVICENOW_UNAVAILABLE",
          `Another request with correlationId "${key}" is still being written; retry with the same correlationId later.`,
          "input.correlationId",
        );
      }
      await delay(KEY_POLL_MS);
    }
  }

  /**
   * Sends the create whose key `claim` holds (the attempt's own row, or an earlier one whose
   * answer was lost: then the instance is asked first). A lost answer is settled by asking
   * the instance for the key before answering.
   */
  private async sendClaimed(
    attempt: Attempt,
    integration: Integration,
    client: ServiceNowClient,
    entry: WriteLogEntry,
    claim: WriteLogEntry,
    values: WriteValues,
    reserved: Reservation | null,
  ): Promise<IncidentWriteResult> {
    const key = claim.idempotencyKey ?? "";
    const settle = async (raw: RawRecord, status: number | null, used: number) => {
      const result = await this.answer(integration, raw, true, used, attempt, client);
      const done = {
        outcome: WriteOutcome.CREATED,
        sysId: result.incident.sysId,
        servicenowStatus: status,
      };
      await this.log.finish(claim, { ...done, transaction: true });
      if (entry !== claim) {
        await this.log.finish(entry, done);
      }
      return result;
    };
    if (claim !== entry) {
      const existing = await this.lookUp(integration, client, key);
      if (existing !== null) {
        return settle(existing, null, reserved?.used ?? 0);
      }
    }
    let reservation: Reservation;
    try {
      reservation = reserved ?? (await this.reserve(integration));
    } catch (error) {
      await this.log.finish(claim, { releaseKey: true, outcome: outcomeOf(error) });
      throw error;
    }
    const release = async (error: unknown) => {
      if (reservation.day !== "") {
        await this.allowance.release(integration.id, reservation.day);
      }
      const failure = await this.failure(attempt, entry, error);
      await this.log.finish(claim, { releaseKey: true, outcome: outcomeOf(failure) });
      return failure;
    };
    let sent: Sent;
    try {
      sent = await this.post(integration, client, values);
    } catch (error) {
      if (!isServiceNowError(error) || error.outcomeUnknown !== true) {
        throw await release(error);
      }
      // The answer was lost: the POST may have been committed. Ask before answering.
      this.logger.warn(
        { integrationId: integration.id, code: error.code },
        "the answer to a create was lost; looking its correlation id up",
      );
      let found: RawRecord | null;
      try {
        found = await this.lookUp(integration, client, key);
      } catch {
        // Keep the claim (UNKNOWN) and the transaction: a retry with the key settles it.
        const unknown = {
          servicenowStatus: error.status ?? null,
          outcome: WriteOutcome.UNKNOWN,
          transaction: true,
          error: "The answer was lost and the correlation id could not be looked up",
        };
        await this.log.finish(claim, unknown);
        if (entry !== claim) {
          await this.log.finish(entry, unknown);
        }
        throw new GatewayError(
          "SERVICENOW_UNAVAILABLE",
          `ServiceNow did not answer the create and could not be asked whether it happened: the incident may exist. Retry with the same correlationId "${key}": the gateway looks it up before creating anything.`,
          undefined,
          { mayExist: true },
        );
      }
      if (found === null) {
        throw await release(error);
      }
      return settle(found, null, reservation.used);
    }
    return settle(sent.record, sent.status, reservation.used);
  }

  /** A retried create: the incident its key created, from the cache (or the instance). */
  private async duplicate(
    integration: Integration,
    client: ServiceNowClient,
    entry: WriteLogEntry,
    sysId: string,
  ): Promise<IncidentWriteResult> {
    const cached =
      (await this.cache.findIncident(integration.id, sysId)) ??
      (await this.cache.refresh(integration, client, sysId));
    await this.log.finish(entry, { outcome: WriteOutcome.DUPLICATE, sysId });
    const used = await this.allowance.used(integration.id, new Date());
    return this.result(integration, cached as Incident, false, used);
  }

  private async lookUp(
    integration: Integration,
    client: ServiceNowClient,
    key: string,
  ): Promise<RawRecord | null> {
    const shape = await this.cache.answerShape(integration, client);
    const records = await client.findByCorrelationId("incident", key, {
      fields: shape.fields,
      displayValue: "all",
      excludeReferenceLink: true,
      limit: 1,
    });
    return records[0] ?? null;
  }

  // --- requests -----------------------------------------------------------------------------

  private async post(
    integration: Integration,
    client: ServiceNowClient,
    values: WriteValues,
  ): Promise<Sent> {
    const shape = await this.cache.answerShape(integration, client);
    const { record } = await client.createRecord("incident", values, shape);
    return { record, status: 201 };
  }

  private async patch(
    integration: Integration,
    client: ServiceNowClient,
    sysId: string,
    values: WriteValues,
  ): Promise<Sent> {
    const shape = await this.cache.answerShape(integration, client);
    const { record } = await client.updateRecord("incident", sysId, values, shape);
    return { record, status: 200 };
  }

  // --- input → ServiceNow fields ------------------------------------------------------------

  private async createValues(
    integration: Integration,
    client: ServiceNowClient,
    input: CreateIncidentInput,
    correlationId: string | null,
  ): Promise<WriteValues> {
    const references = new IncidentReferences(this.dataSource, integration.id, client);
    const values: Record<string, string> = {
      short_description: requiredText(input.shortDescription, "input.shortDescription", 160),
    };
    setText(values, "description", input.description, "input.description", 32_000);
    const callerSysId = optionalText(input.callerSysId);
    const callerUserName = optionalText(input.callerUserName);
    if (callerSysId !== null && callerUserName !== null) {
      throw GatewayError.badInput(
        "input.callerSysId",
        "Give callerUserName or callerSysId, not both.",
      );
    }
    if (callerSysId !== null) {
      if (!SYS_ID_PATTERN.test(callerSysId)) {
        throw GatewayError.badInput("input.callerSysId", "callerSysId must be a sys_id.");
      }
      values.caller_id = callerSysId;
    } else if (callerUserName !== null) {
      values.caller_id = await references.user(callerUserName, "input.callerUserName");
    } else {
      const { username } = await this.connections.credentials(integration);
      values.caller_id = await references.currentUser(username, "input.callerUserName");
    }
    const group = optionalText(input.assignmentGroup);
    if (group !== null) {
      values.assignment_group = await references.group(group, "input.assignmentGroup");
    } else if (optionalText(integration.defaultAssignmentGroup) !== null) {
      values.assignment_group = await references.group(
        integration.defaultAssignmentGroup!.trim(),
        "defaultAssignmentGroup",
      );
    }
    const assignee = optionalText(input.assignedToUserName);
    if (assignee !== null) {
      values.assigned_to = await references.user(assignee, "input.assignedToUserName");
    }
    setNumber(values, "impact", input.impact);
    setNumber(values, "urgency", input.urgency);
    setText(values, "category", input.category, "input.category", 100);
    setText(values, "subcategory", input.subcategory, "input.subcategory", 100);
    setText(values, "contact_type", input.contactType, "input.contactType", 100);
    setSysId(values, "cmdb_ci", input.cmdbCi, "input.cmdbCi");
    setSysId(values, "business_service", input.businessService, "input.businessService");
    if (correlationId !== null) {
      values.correlation_id = correlationId;
      values.correlation_display = CORRELATION_DISPLAY;
    }
    return values;
  }

  private async updateValues(
    integration: Integration,
    client: ServiceNowClient,
    input: UpdateIncidentInput,
  ): Promise<WriteValues> {
    const references = new IncidentReferences(this.dataSource, integration.id, client);
    const values: Record<string, string> = {};
    if (input.state !== undefined && input.state !== null) {
      values.state = INCIDENT_STATE_VALUES[input.state];
    }
    setNumber(values, "impact", input.impact);
    setNumber(values, "urgency", input.urgency);
    const group = optionalText(input.assignmentGroup);
    if (group !== null) {
      values.assignment_group = await references.group(group, "input.assignmentGroup");
    }
    const assignee = optionalText(input.assignedToUserName);
    if (assignee !== null) {
      values.assigned_to = await references.user(assignee, "input.assignedToUserName");
    }
    setText(values, "close_code", input.closeCode, "input.closeCode", 100);
    setText(values, "close_notes", input.closeNotes, "input.closeNotes", 32_000);
    if (input.shortDescription !== undefined && input.shortDescription !== null) {
      values.short_description = requiredText(
        input.shortDescription,
        "input.shortDescription",
        160,
      );
    }
    setText(values, "description", input.description, "input.description", 32_000);
    return values;
  }
}

function successOf(operation: WriteOperation): WriteOutcome {
  switch (operation) {
    case WriteOperation.CREATE_INCIDENT:
      return WriteOutcome.CREATED;
    case WriteOperation.UPDATE_INCIDENT:
      return WriteOutcome.UPDATED;
    case WriteOperation.ADD_INCIDENT_COMMENT:
      return WriteOutcome.COMMENTED;
  }
}

/** The write-log outcome of an error thrown to the caller. */
function outcomeOf(error: unknown): WriteOutcome {
  if (!(error instanceof GatewayError)) {
    return WriteOutcome.FAILED;
  }
  switch (error.code) {
    case "BAD_USER_INPUT":
    case "NOT_FOUND":
      return WriteOutcome.INVALID_INPUT;
    case "WRITES_DISABLED":
      return WriteOutcome.WRITES_DISABLED;
    case "TRANSACTION_LIMIT_REACHED":
      return WriteOutcome.TRANSACTION_LIMIT_REACHED;
    case "SERVICENOW_REJECTED":
      return WriteOutcome.SERVICENOW_REJECTED;
    case "SERVICENOW_RATE_LIMITED":
      return WriteOutcome.SERVICENOW_RATE_LIMITED;
    case "SERVICENOW_UNAVAILABLE":
      return error.details?.mayExist === true
        ? WriteOutcome.UNKNOWN
        : WriteOutcome.SERVICENOW_UNAVAILABLE;
    default:
      return WriteOutcome.FAILED;
  }
}

/** A connector error in the caller's terms: ServiceNow's own words, the input at fault. */
function translate(error: ServiceNowError, attempt: Attempt): GatewayError {
  const said = [error.serviceNowMessage, error.serviceNowDetail]
    .filter((text): text is string => text !== undefined)
    .join(": ")
    .replace(/\s+/g, " ")
    .trim();
  switch (error.code) {
    case "REJECTED": {
      const field =
        error.field === undefined ? undefined : INPUT_OF_LABEL[error.field.toLowerCase()];
      return new GatewayError(
        "SERVICENOW_REJECTED",
        `ServiceNow refused the write: ${said === "" ? `HTTP ${error.status ?? "error"}` : said}`,
        field,
        {
          servicenowStatus: error.status,
          ...(error.serviceNowMessage === undefined
            ? {}
            : { servicenowMessage: error.serviceNowMessage }),
          ...(error.serviceNowDetail === undefined
            ? {}
            : { servicenowDetail: error.serviceNowDetail }),
          ...(error.field === undefined ? {} : { servicenowField: error.field }),
        },
      );
    }
    case "RATE_LIMITED":
      return new GatewayError(
        "SERVICENOW_RATE_LIMITED",
        `ServiceNow's rate limit for the integration user was reached${
          error.retryAfterSeconds === undefined ? "" : `; retry in ${error.retryAfterSeconds} s`
        }. Nothing was written.`,
        undefined,
        { retryAfterSeconds: error.retryAfterSeconds ?? null },
      );
    case "NOT_FOUND":
      return GatewayError.notFound(
        `ServiceNow has no incident ${attempt.sysId ?? ""} (or an ACL hides it).`,
        "sysId",
      );
    default:
      if (error.outcomeUnknown === true) {
        const what =
          attempt.operation === WriteOperation.CREATE_INCIDENT
            ? "the incident may exist. Pass a correlationId to make retries safe"
            : "the change may have been applied; check the incident before retrying";
        return new GatewayError(
          "SERVICENOW_UNAVAILABLE",
          `ServiceNow did not answer (${error.code}) after the request was sent: ${what}.`,
          undefined,
          { mayExist: true },
        );
      }
      return new GatewayError(
        "SERVICENOW_UNAVAILABLE",
        `The write did not reach ServiceNow (${error.code}); nothing was written. ${error.message}`,
      );
  }
}

function checkSysId(sysId: string): void {
  if (!SYS_ID_PATTERN.test(sysId)) {
    throw GatewayError.badInput("sysId", "sysId must be a sys_id (32 hex characters).");
  }
}

function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = optionalText(value);
  if (text === null) {
    throw GatewayError.badInput(field, `${field.replace(/^input\./, "")} must not be empty.`);
  }
  if (text.length > max) {
    throw GatewayError.badInput(field, `${field.replace(/^input\./, "")} is longer than ${max}.`);
  }
  return text;
}

function setText(
  values: Record<string, string>,
  name: string,
  value: string | null | undefined,
  field: string,
  max: number = TEXT_MAX,
): void {
  if (value === undefined || value === null) {
    return;
  }
  if (value.length > max) {
    throw GatewayError.badInput(field, `${field.replace(/^input\./, "")} is longer than ${max}.`);
  }
  values[name] = value;
}

function setNumber(values: Record<string, string>, name: string, value: number | null | undefined) {
  if (value !== undefined && value !== null) {
    values[name] = String(value);
  }
}

function setSysId(
  values: Record<string, string>,
  name: string,
  value: string | null | undefined,
  field: string,
): void {
  const text = optionalText(value);
  if (text === null) {
    return;
  }
  if (!SYS_ID_PATTERN.test(text)) {
    throw GatewayError.badInput(field, `${field.replace(/^input\./, "")} must be a sys_id.`);
  }
  values[name] = text;
}
