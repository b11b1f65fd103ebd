import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { Logger } from "../logging/logger";
import { compileQuery } from "./encoded-query.evaluator";
import { parseEncodedQuery } from "./encoded-query.parser";
import {
  type BrowserConsent,
  type SimOAuthClient,
  type SimOAuthClientInput,
  SimulatorAuth,
  type SimUser,
  type SimUserInput,
} from "./simulator.auth";
import { CONTROL_PREFIX, handleControl } from "./simulator.control";
import { Dictionary } from "./simulator.dictionary";
import { assertUnreachable, SimulatorError } from "./simulator.errors";
import { FaultInjector, type FaultSpec } from "./simulator.faults";
import { type DatasetOptions, type DatasetSummary, generateDataset } from "./simulator.generator";
import { RequestContext, type SimRequestLogEntry } from "./simulator.http";
import { AUTHORIZE_PATH, handleAuthorize, handleToken, TOKEN_PATH } from "./simulator.oauth";
import {
  RateLimiter,
  rateLimitHeaders,
  type RateLimitRule,
  ruleSysId,
} from "./simulator.rate-limit";
import type { FieldsInput, SimRecord } from "./simulator.store";
import { SimulatorStore } from "./simulator.store";
import { handleTableApi, tableOfPath } from "./simulator.table-api";
import { isValidTimeZone } from "./simulator.time";
import { SimulatorWebhooks, type SimWebhookTarget } from "./simulator.webhooks";

/**
 * A ServiceNow instance on loopback, good enough that an HTTP connector, an OAuth flow and a
 * keyset-paging sync cannot tell it from a real one on the features they use. Tests drive it in
 * process through this object, or from another process through /__sim/.
 */

export interface SimulatorOptions {
  readonly logger?: Logger;
  /** Time for record stamps, token expiry and rate-limit windows; defaults to the real clock. */
  readonly clock?: () => Date;
  /** Zone for users whose time_zone is empty (the instance's system time zone). Default UTC. */
  readonly instanceTimeZone?: string;
  /** Allow the client_credentials grant (off by default, as on real instances). */
  readonly clientCredentialsGrant?: boolean;
  /** glide.authenticate.basic_auth.restriction.enforce: Basic only for web-service users. */
  readonly enforceBasicAuthRestriction?: boolean;
  /** The user who approves /oauth_auth.do requests; defaults to the first user added. */
  readonly browserUser?: string;
  /** Entries kept in requestLog (oldest dropped first). Default 10,000. */
  readonly requestLogLimit?: number;
}

export interface StartedSimulator {
  readonly url: string;
  readonly port: number;
}

/** Hides records as an ACL would: a predicate, or an encoded query read in the instance zone. */
export type AclRule = ((record: SimRecord) => boolean) | string;

const HIBERNATION_PAGE =
  "<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head><body>" +
  "<h1>Your instance is hibernating</h1><p>Sign in to the developer portal to wake it up.</p>" +
  "</body></html>";
const MALFORMED_JSON = '{"result":[{"sys_id":"6816f79cc0a8016401c5a33be04be441","number":"INC00';

export class Simulator {
  /** Fault injection: `sim.faults.inject({ kind: "status", status: 503, times: 2 })`. */
  readonly faults = new FaultInjector();
  readonly dictionary = new Dictionary();
  readonly store: SimulatorStore;
  /** Business-rule notifications to a gateway's webhook (off until configured). */
  readonly webhooks: SimulatorWebhooks;
  private readonly auth: SimulatorAuth;
  private readonly limiter = new RateLimiter();
  private readonly acl = new Map<string, (record: SimRecord) => boolean>();
  private readonly log: SimRequestLogEntry[] = [];
  /** Table API requests served per table, whatever the log keeps. */
  private readonly tableRequests = new Map<string, number>();
  private readonly logLimit: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private clock: () => Date;
  private instanceZone: string;
  private server: Server | null = null;
  private baseUrl: string | null = null;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.instanceZone = options.instanceTimeZone ?? "UTC";
    if (!isValidTimeZone(this.instanceZone)) {
      throw new SimulatorError("INVALID_INPUT", `Unknown time zone ${this.instanceZone}`);
    }
    this.logLimit = options.requestLogLimit ?? 10_000;
    this.store = new SimulatorStore(this.dictionary, () => this.clock());
    this.webhooks = new SimulatorWebhooks(options.logger);
    this.store.observe((table, operation, record) =>
      this.webhooks.written(table, operation, record),
    );
    this.auth = new SimulatorAuth(this.store, {
      now: () => this.clock(),
      clientCredentialsEnabled: options.clientCredentialsGrant ?? false,
      enforceBasicAuthRestriction: options.enforceBasicAuthRestriction ?? false,
      browserUser: options.browserUser,
    });
  }

  /** Listens on host:port (0 picks a free port); resolves with the instance URL. */
  async start(port = 0, host = "127.0.0.1"): Promise<StartedSimulator> {
    if (this.server) {
      throw new SimulatorError("INVALID_INPUT", "The simulator is already running");
    }
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.server = server;
    this.baseUrl = `http://${shownHost}:${address.port}`;
    this.options.logger?.info({ url: this.baseUrl }, "ServiceNow simulator listening");
    return { url: this.baseUrl, port: address.port };
  }

  /** Closes the server and every open connection, hanging "timeout" requests included. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.baseUrl = null;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    await this.webhooks.idle();
    if (!server) {
      return;
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The instance URL, e.g. http://127.0.0.1:40123. */
  get url(): string {
    if (!this.baseUrl) {
      throw new SimulatorError("NOT_RUNNING", "The simulator is not running");
    }
    return this.baseUrl;
  }

  // --- records -------------------------------------------------------------------------------

  /** Inserts a record: sys_id, sys_created_on/sys_updated_on (clock), number, sys_mod_count. */
  insert(table: string, fields: FieldsInput = {}): SimRecord {
    return this.store.insert(table, fields);
  }

  /** Updates a record: sys_updated_on moves to the clock, sys_mod_count goes up by one. */
  update(table: string, sysId: string, fields: FieldsInput): SimRecord {
    return this.store.update(table, sysId, fields);
  }

  /** Hard-deletes a record and writes a sys_audit_delete row {tablename, documentkey}. */
  delete(table: string, sysId: string): boolean {
    return this.store.delete(table, sysId);
  }

  get(table: string, sysId: string): SimRecord | undefined {
    return this.store.get(table, sysId);
  }

  all(table: string): SimRecord[] {
    return this.store.all(table);
  }

  /** Inserts a seeded dataset (see generateDataset). */
  generate(options: DatasetOptions): DatasetSummary {
    // A bulk import: business rules do not run for it (as with setWorkflow(false)).
    this.webhooks.paused = true;
    try {
      return generateDataset(this.store, options);
    } finally {
      this.webhooks.paused = false;
    }
  }

  /** Posts a signed notification to `target.url` after each record write (null: stop). */
  configureWebhook(target: SimWebhookTarget | null): void {
    this.webhooks.configure(target);
  }

  // --- time ----------------------------------------------------------------------------------

  now(): Date {
    return this.clock();
  }

  /** Freezes the clock at a date, follows a function, or (null) returns to real time. */
  setClock(clock: Date | (() => Date) | null): void {
    if (clock === null) {
      this.clock = this.options.clock ?? (() => new Date());
    } else if (clock instanceof Date) {
      const frozen = new Date(clock.getTime());
      this.clock = () => new Date(frozen.getTime());
    } else {
      this.clock = clock;
    }
  }

  get instanceTimeZone(): string {
    return this.instanceZone;
  }

  setInstanceTimeZone(timeZone: string): void {
    if (!isValidTimeZone(timeZone)) {
      throw new SimulatorError("INVALID_INPUT", `Unknown time zone ${timeZone}`);
    }
    this.instanceZone = timeZone;
  }

  // --- auth ----------------------------------------------------------------------------------

  get users(): readonly SimUser[] {
    return this.auth.users;
  }

  /** Adds an integration user with credentials and a sys_user record. */
  addUser(input: SimUserInput): SimUser {
    return this.auth.addUser(input);
  }

  /** Changes a user's password, as an admin rotating it would; the old one stops working. */
  setPassword(userName: string, password: string): void {
    this.auth.setPassword(userName, password);
  }

  addOAuthClient(input: SimOAuthClientInput): SimOAuthClient {
    return this.auth.addOAuthClient(input);
  }

  /** Who approves /oauth_auth.do requests, and whether they allow or deny. */
  setBrowserUser(userName: string | undefined, consent: BrowserConsent = "allow"): void {
    this.auth.setBrowserUser(userName, consent);
  }

  setClientCredentialsGrant(enabled: boolean): void {
    this.auth.setClientCredentialsEnabled(enabled);
  }

  /** Every access token issued so far answers 401 from now on (refresh tokens too if asked). */
  expireAccessTokens(options: { readonly refreshTokens?: boolean } = {}): void {
    this.auth.expireAccessTokens(options);
  }

  /** The zone a user's query literals are read in: sys_user.time_zone, else the instance's. */
  timeZoneOf(user: SimUser): string {
    const zone = this.auth.userRecord(user)?.time_zone ?? "";
    return zone !== "" && isValidTimeZone(zone) ? zone : this.instanceZone;
  }

  // --- ACLs, rate limits, request log ----------------------------------------------------------

  /**
   * Hides records of a table as an ACL would; null removes the rule. Applied after limit and
   * offset, so pages come back short (even empty) while X-Total-Count still counts them.
   */
  setAclHidden(table: string, rule: AclRule | null): void {
    const def = this.store.tableDef(table);
    if (rule === null) {
      this.acl.delete(table);
    } else if (typeof rule === "string") {
      const compiled = compileQuery(parseEncodedQuery(rule), def, { timeZone: this.instanceZone });
      this.acl.set(table, compiled.matches);
    } else {
      this.acl.set(table, rule);
    }
  }

  /** Adds a per-user hourly rate limit to the Table API (null removes it). */
  rateLimit(rule: RateLimitRule | null): void {
    this.limiter.set(rule);
  }

  get requestLog(): readonly SimRequestLogEntry[] {
    return this.log;
  }

  clearRequestLog(): void {
    this.log.length = 0;
  }

  /** Table API requests answered per table (any method, faults included) since the last reset. */
  tableRequestCounts(): Record<string, number> {
    return Object.fromEntries([...this.tableRequests].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  resetTableRequestCounts(): void {
    this.tableRequests.clear();
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private record(entry: SimRequestLogEntry): void {
    if (entry.table !== null) {
      this.tableRequests.set(entry.table, (this.tableRequests.get(entry.table) ?? 0) + 1);
    }
    this.log.push(entry);
    if (this.log.length > this.logLimit) {
      this.log.splice(0, this.log.length - this.logLimit);
    }
    this.options.logger?.debug(
      { method: entry.method, path: entry.path, status: entry.status, fault: entry.fault },
      "simulator request",
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fallback = this.baseUrl ?? "http://127.0.0.1";
    const at = this.clock().toISOString();
    const path = new URL(req.url ?? "/", fallback).pathname;
    const control = path.startsWith(CONTROL_PREFIX);
    const ctx = new RequestContext(req, res, fallback, at, (entry) => {
      if (!control) {
        this.record(entry);
      }
    });
    try {
      if (control) {
        await handleControl(ctx, this);
        return;
      }
      ctx.table = tableOfPath(ctx.path);
      const fault = this.faults.take({ path: ctx.path, table: ctx.table, method: ctx.method });
      if (fault) {
        ctx.fault = fault.spec.kind;
        const handled = await this.applyFault(ctx, fault.spec);
        if (handled) {
          return;
        }
      }
      await this.route(ctx);
    } catch (error) {
      this.options.logger?.error({ err: error, path: ctx.path }, "simulator request failed");
      ctx.error(500, "Internal server error", error instanceof Error ? error.message : null);
    }
  }

  /** Plays a fault; false when the request should then be answered normally (delay). */
  private async applyFault(ctx: RequestContext, spec: FaultSpec): Promise<boolean> {
    switch (spec.kind) {
      case "status": {
        const status = spec.status ?? 503;
        const message =
          status === 502 ? "Bad Gateway" : status === 503 ? "Service Unavailable" : "Server Error";
        ctx.error(status, message, "The instance could not process the request");
        return true;
      }
      case "delay":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, spec.delayMs ?? 1000);
          this.timers.add(timer);
        });
        return ctx.res.destroyed;
      case "reset":
        ctx.log(0);
        ctx.req.socket.destroy();
        return true;
      case "html":
        ctx.html(200, HIBERNATION_PAGE);
        return true;
      case "malformed":
        ctx.send(200, "application/json;charset=UTF-8", MALFORMED_JSON);
        return true;
      case "rateLimit": {
        const retryAfter = spec.retryAfterSeconds ?? 1;
        const reset = Math.ceil(this.clock().getTime() / 1000) + retryAfter;
        const rule = this.limiter.current;
        ctx.error(429, "Rate limit exceeded", "Too many requests for the rate limit rule", {
          ...rateLimitHeaders(rule?.limitPerHour ?? 1000, reset, ruleSysId(rule?.name ?? "fault")),
          "Retry-After": String(retryAfter),
        });
        return true;
      }
      case "timeout":
        // Hold the request open; the client's own timeout ends it, or stop() does.
        ctx.log(0);
        return true;
      case "dropResponse":
        // Served and committed as usual; the answer is lost on the way back.
        ctx.dropAnswer = true;
        return false;
      default:
        return assertUnreachable(spec.kind);
    }
  }

  private async route(ctx: RequestContext): Promise<void> {
    if (ctx.path === TOKEN_PATH) {
      await handleToken(ctx, this.auth);
      return;
    }
    if (ctx.path === AUTHORIZE_PATH) {
      handleAuthorize(ctx, this.auth);
      return;
    }
    if (!ctx.path.startsWith("/api/")) {
      ctx.html(404, "<!DOCTYPE html><html><body><h1>Not found</h1></body></html>");
      return;
    }
    const result = this.auth.authenticate(ctx.req.headers.authorization);
    ctx.authKind = result.kind;
    if (!result.ok) {
      ctx.error(401, "User Not Authenticated", "Required to provide Auth information", {
        "WWW-Authenticate": 'BASIC realm="Service-now"',
      });
      return;
    }
    const user = result.user;
    ctx.userName = user.userName;
    const decision = this.limiter.check(user.userName, this.clock().getTime());
    const extraHeaders = decision?.headers ?? {};
    if (decision?.limited) {
      ctx.error(
        429,
        "Rate limit exceeded",
        `Rate limit of ${this.limiter.current?.limitPerHour ?? 0} requests per hour exceeded`,
        { ...extraHeaders, "Retry-After": String(decision.retryAfterSeconds) },
      );
      return;
    }
    await handleTableApi(ctx, {
      user,
      users: () => this.auth.users,
      now: () => this.clock(),
      store: this.store,
      dictionary: this.dictionary,
      aclHidden: (table) => this.acl.get(table),
      canRead: (table) => this.auth.canRead(user, table),
      timeZone: this.timeZoneOf(user),
      extraHeaders,
    });
  }
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  return new Simulator(options);
}
