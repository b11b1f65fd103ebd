import type { SimOAuthClientInput, SimUserInput } from "./simulator.auth";
import { assertUnreachable, SimulatorError, type SimulatorErrorCode } from "./simulator.errors";
import { validateFaultSpec } from "./simulator.faults";
import type { DatasetOptions } from "./simulator.generator";
import { readBody, type RequestContext } from "./simulator.http";
import type { RateLimitRule } from "./simulator.rate-limit";
import type { Simulator } from "./simulator.server";
import type { FieldsInput } from "./simulator.store";

/**
 * Test controls over HTTP, for tests that run the gateway in another process and cannot share
 * memory with the simulator. No auth, no faults, not in the request log.
 *
 *   GET    /__sim/health
 *   POST   /__sim/records/:table            body: fields          → 201 {result}
 *   GET    /__sim/records/:table[/:sysId]                          → {result}
 *   PATCH  /__sim/records/:table/:sysId     body: fields          → {result}
 *   DELETE /__sim/records/:table/:sysId                            → 204
 *   POST   /__sim/generate                  body: DatasetOptions  → 201 {result: summary}
 *   POST   /__sim/faults                    body: FaultSpec       → 201 {result}
 *   GET | DELETE /__sim/faults
 *   POST   /__sim/expire-tokens             body: {refreshTokens?}→ 204
 *   GET | POST /__sim/clock                 body: {now: ISO string | null}
 *   POST   /__sim/users                     body: SimUserInput    → 201
 *   POST   /__sim/oauth-clients             body: SimOAuthClientInput → 201
 *   POST   /__sim/rate-limit                body: {limitPerHour, name?} | {limitPerHour: null}
 *   POST   /__sim/acl                       body: {table, query: encoded query | null}
 *   GET | DELETE /__sim/requests            the request log
 *   GET | DELETE /__sim/table-requests      Table API requests served per table
 *   POST   /__sim/webhook                   body: {url, secret, tables?} | {url: null}
 *   GET    /__sim/webhook                   → {url, tables, sent, failed} (never the secret)
 */

export const CONTROL_PREFIX = "/__sim/";

function statusOf(code: SimulatorErrorCode): number {
  switch (code) {
    case "UNKNOWN_TABLE":
    case "UNKNOWN_FIELD":
    case "INVALID_VALUE":
    case "INVALID_INPUT":
      return 400;
    case "NOT_FOUND":
      return 404;
    case "DUPLICATE":
      return 409;
    case "NOT_RUNNING":
      return 503;
    default:
      return assertUnreachable(code);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SimulatorError("INVALID_INPUT", `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

async function jsonBody(ctx: RequestContext): Promise<unknown> {
  const text = await readBody(ctx.req);
  if (text.trim() === "") {
    return {};
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SimulatorError("INVALID_INPUT", "The body is not valid JSON");
  }
}

function datasetOptions(body: Record<string, unknown>): DatasetOptions {
  const date = (value: unknown, name: string): Date | undefined => {
    if (value === undefined) {
      return undefined;
    }
    const parsed = typeof value === "string" ? new Date(value) : null;
    if (!parsed || Number.isNaN(parsed.getTime())) {
      throw new SimulatorError("INVALID_INPUT", `${name} must be an ISO date`);
    }
    return parsed;
  };
  if (typeof body.seed !== "number") {
    throw new SimulatorError("INVALID_INPUT", "seed must be a number");
  }
  return {
    ...(body as Omit<DatasetOptions, "start" | "end">),
    start: date(body.start, "start"),
    end: date(body.end, "end"),
  };
}

export async function handleControl(ctx: RequestContext, sim: Simulator): Promise<void> {
  try {
    await route(ctx, sim);
  } catch (error) {
    if (error instanceof SimulatorError) {
      ctx.json(statusOf(error.code), { error: { code: error.code, message: error.message } });
      return;
    }
    throw error;
  }
}

async function route(ctx: RequestContext, sim: Simulator): Promise<void> {
  const parts = ctx.path
    .slice(CONTROL_PREFIX.length)
    .split("/")
    .filter((part) => part !== "")
    .map((part) => decodeURIComponent(part));
  const [resource, table, sysId] = parts;
  const method = ctx.method;

  switch (resource) {
    case "health":
      ctx.json(200, { ok: true });
      return;
    case "records": {
      if (!table) {
        break;
      }
      if (method === "POST" && !sysId) {
        const fields = asObject(await jsonBody(ctx), "fields") as FieldsInput;
        ctx.json(201, { result: sim.insert(table, fields) });
        return;
      }
      if (method === "GET") {
        if (!sysId) {
          ctx.json(200, { result: sim.all(table) });
          return;
        }
        const record = sim.get(table, sysId);
        if (!record) {
          throw new SimulatorError("NOT_FOUND", `${table} has no record ${sysId}`);
        }
        ctx.json(200, { result: record });
        return;
      }
      if (method === "PATCH" && sysId) {
        const fields = asObject(await jsonBody(ctx), "fields") as FieldsInput;
        ctx.json(200, { result: sim.update(table, sysId, fields) });
        return;
      }
      if (method === "DELETE" && sysId) {
        if (!sim.delete(table, sysId)) {
          throw new SimulatorError("NOT_FOUND", `${table} has no record ${sysId}`);
        }
        ctx.empty(204);
        return;
      }
      break;
    }
    case "generate":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "dataset options");
        ctx.json(201, { result: sim.generate(datasetOptions(body)) });
        return;
      }
      break;
    case "faults":
      if (method === "POST") {
        ctx.json(201, { result: sim.faults.inject(validateFaultSpec(await jsonBody(ctx))) });
        return;
      }
      if (method === "GET") {
        ctx.json(200, { result: sim.faults.active });
        return;
      }
      if (method === "DELETE") {
        sim.faults.clear(table);
        ctx.empty(204);
        return;
      }
      break;
    case "expire-tokens":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "options");
        sim.expireAccessTokens({ refreshTokens: body.refreshTokens === true });
        ctx.empty(204);
        return;
      }
      break;
    case "clock":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "clock");
        if (body.now === null) {
          sim.setClock(null);
        } else {
          const now = typeof body.now === "string" ? new Date(body.now) : null;
          if (!now || Number.isNaN(now.getTime())) {
            throw new SimulatorError("INVALID_INPUT", "now must be an ISO date or null");
          }
          sim.setClock(now);
        }
      }
      if (method === "POST" || method === "GET") {
        ctx.json(200, { result: { now: sim.now().toISOString() } });
        return;
      }
      break;
    case "users":
      if (method === "POST") {
        const user = sim.addUser(asObject(await jsonBody(ctx), "user") as unknown as SimUserInput);
        ctx.json(201, { result: { userName: user.userName, sysId: user.sysId } });
        return;
      }
      break;
    case "oauth-clients":
      if (method === "POST") {
        const input = asObject(await jsonBody(ctx), "client") as unknown as SimOAuthClientInput;
        const client = sim.addOAuthClient(input);
        ctx.json(201, { result: { clientId: client.clientId } });
        return;
      }
      break;
    case "rate-limit":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "rule");
        sim.rateLimit(body.limitPerHour === null ? null : (body as unknown as RateLimitRule));
        ctx.empty(204);
        return;
      }
      break;
    case "acl":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "acl");
        if (typeof body.table !== "string") {
          throw new SimulatorError("INVALID_INPUT", "table is required");
        }
        if (body.query !== null && typeof body.query !== "string") {
          throw new SimulatorError("INVALID_INPUT", "query must be an encoded query or null");
        }
        sim.setAclHidden(body.table, body.query);
        ctx.empty(204);
        return;
      }
      break;
    case "requests":
      if (method === "GET") {
        ctx.json(200, { result: sim.requestLog });
        return;
      }
      if (method === "DELETE") {
        sim.clearRequestLog();
        ctx.empty(204);
        return;
      }
      break;
    case "webhook":
      if (method === "POST") {
        const body = asObject(await jsonBody(ctx), "webhook");
        if (body.url === null) {
          sim.configureWebhook(null);
        } else {
          if (typeof body.url !== "string" || typeof body.secret !== "string") {
            throw new SimulatorError("INVALID_INPUT", "url and secret are required strings");
          }
          if (
            body.tables !== undefined &&
            (!Array.isArray(body.tables) || body.tables.some((table) => typeof table !== "string"))
          ) {
            throw new SimulatorError("INVALID_INPUT", "tables must be a list of table names");
          }
          sim.configureWebhook({
            url: body.url,
            secret: body.secret,
            ...(body.tables === undefined ? {} : { tables: body.tables as string[] }),
          });
        }
      }
      if (method === "POST" || method === "GET") {
        ctx.json(200, { result: sim.webhooks.status });
        return;
      }
      break;
    case "table-requests":
      if (method === "GET") {
        ctx.json(200, { result: sim.tableRequestCounts() });
        return;
      }
      if (method === "DELETE") {
        sim.resetTableRequestCounts();
        ctx.empty(204);
        return;
      }
      break;
    default:
      break;
  }
  ctx.json(404, { error: { code: "NOT_FOUND", message: `No control ${method} ${ctx.path}` } });
}
