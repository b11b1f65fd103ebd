import { createHash } from "node:crypto";

import type { TableDef } from "./simulator.dictionary";
import { SimulatorError } from "./simulator.errors";
import { readBody, type RequestContext } from "./simulator.http";
import { type SerializeOptions, serializeRecord } from "./simulator.serializer";
import type { SimRecord, SimulatorStore } from "./simulator.store";
import { formatGlideDateTime } from "./simulator.time";

/**
 * POST /api/now/table/{table} and PATCH (or PUT) /api/now/table/{table}/{sys_id}, answered as
 * ServiceNow does: unknown and system fields in the body are ignored without a word, journal
 * fields (`comments`, `work_notes`) become `sys_journal_field` entries, incident's data policy
 * makes `short_description` and `caller_id` mandatory (and the resolution code and notes once
 * resolved), and the stored record comes back (201 for a create, 200 for an update).
 */

/** Who writes: stamps sys_created_by, opened_by, resolved_by… */
export interface SimWriter {
  readonly userName: string;
  readonly sysId: string;
  readonly roles: readonly string[];
}

export interface TableWriteDeps {
  readonly store: SimulatorStore;
  readonly writer: SimWriter;
  readonly now: () => Date;
  readonly extraHeaders: Readonly<Record<string, string>>;
}

/** Roles that may create and update incidents on a fresh instance. */
export const INCIDENT_WRITER_ROLES: readonly string[] = ["itil", "sn_incident_write", "admin"];

export const JOURNAL_TABLE = "sys_journal_field";
export const USER_ROLE_TABLE = "sys_user_has_role";
const JOURNAL_ELEMENTS = new Set(["comments", "work_notes"]);

interface PolicyRule {
  readonly field: string;
  readonly label: string;
  /** The rule applies to records in this state (always when absent). */
  readonly when?: (record: Readonly<Record<string, string>>) => boolean;
}

const RESOLVED_STATES = new Set(["6", "7"]);

/** Data policies per table: mandatory fields, named by label in the refusal as ServiceNow does. */
const DATA_POLICIES: Readonly<Record<string, readonly PolicyRule[]>> = {
  incident: [
    { field: "short_description", label: "Short description" },
    { field: "caller_id", label: "Caller" },
    {
      field: "close_code",
      label: "Resolution code",
      when: (record) => RESOLVED_STATES.has(record.state ?? ""),
    },
    {
      field: "close_notes",
      label: "Resolution notes",
      when: (record) => RESOLVED_STATES.has(record.state ?? ""),
    },
  ],
};

/** ServiceNow's default priority lookup: impact × urgency. */
const PRIORITY: Readonly<Record<string, string>> = {
  "1,1": "1",
  "1,2": "2",
  "1,3": "3",
  "2,1": "2",
  "2,2": "3",
  "2,3": "4",
  "3,1": "3",
  "3,2": "4",
  "3,3": "5",
};

/** Whether the user may write to the table (incidents: itil and friends; else admin only). */
export function canWrite(roles: readonly string[], table: string): boolean {
  return table === "incident"
    ? roles.some((role) => INCIDENT_WRITER_ROLES.includes(role))
    : roles.includes("admin");
}

export async function handleTableWrite(
  ctx: RequestContext,
  deps: TableWriteDeps,
  table: TableDef,
  sysId: string | null,
  serialize: SerializeOptions,
): Promise<void> {
  const headers = deps.extraHeaders;
  const creating = ctx.method === "POST";
  const updating = ctx.method === "PATCH" || ctx.method === "PUT";
  if (!canWrite(deps.writer.roles, table.name) || !(creating || updating)) {
    const action = creating ? "Insert" : ctx.method === "DELETE" ? "Delete" : "Update";
    ctx.error(
      403,
      "Operation Failed",
      `ACL Exception ${action} Failed due to security constraints`,
      headers,
    );
    return;
  }
  if (creating === (sysId !== null)) {
    ctx.error(400, "Requested URI does not represent any resource", null, headers);
    return;
  }
  const current = sysId === null ? undefined : deps.store.get(table.name, sysId);
  if (sysId !== null && !current) {
    ctx.error(
      404,
      "No Record found",
      "Record doesn't exist or ACL restricts the record retrieval",
      headers,
    );
    return;
  }

  let body: unknown;
  try {
    body = JSON.parse(await readBody(ctx.req));
  } catch {
    ctx.error(400, "Exception while reading request", "The payload is not valid JSON.", headers);
    return;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    ctx.error(400, "Exception while reading request", "The payload is not a JSON object.", headers);
    return;
  }

  const { values, journal } = acceptedValues(table, body as Record<string, unknown>);
  const writer = deps.writer;
  const stamp = formatGlideDateTime(deps.now().getTime());
  const changes: Record<string, string> = { ...values, sys_updated_by: writer.userName };
  if (creating) {
    Object.assign(changes, creationDefaults(table, writer, stamp, values), values, {
      sys_created_by: writer.userName,
    });
  }
  const merged: Record<string, string> = { ...(current ?? {}), ...changes };
  if (table.name === "incident") {
    Object.assign(changes, incidentRules(merged, current, writer, stamp));
    Object.assign(merged, changes);
  }
  const missing = (DATA_POLICIES[table.name] ?? []).filter(
    (rule) => (rule.when?.(merged) ?? true) && (merged[rule.field] ?? "") === "",
  );
  if (missing.length > 0) {
    ctx.error(
      403,
      "Operation Failed",
      `Data Policy Exception: \n\tThe following fields are mandatory: ${missing
        .map((rule) => rule.label)
        .join(", ")}`,
      headers,
    );
    return;
  }

  let record: SimRecord;
  try {
    record =
      sysId === null
        ? deps.store.insert(table.name, onlyKnown(table, changes))
        : deps.store.update(table.name, sysId, onlyKnown(table, changes));
  } catch (error) {
    if (error instanceof SimulatorError) {
      ctx.error(400, "Invalid value", error.message, headers);
      return;
    }
    throw error;
  }
  for (const [element, value] of journal) {
    deps.store.insert(JOURNAL_TABLE, {
      element_id: record.sys_id,
      name: table.name,
      element,
      value,
      sys_created_by: writer.userName,
    });
  }
  const location = `${ctx.baseUrl}/api/now/table/${table.name}/${record.sys_id}`;
  ctx.json(
    creating ? 201 : 200,
    { result: serializeRecord(record, serialize) },
    creating ? { ...headers, Location: location } : headers,
  );
}

/**
 * `sys_user_has_role` for the roles of simulated users: `user`, `user.user_name` (also
 * `javascript:gs.getUserName()`) and `role.name` conditions; fields `sys_id`, `user`, `role`,
 * `role.name`, `state`.
 */
export function handleUserRoles(
  ctx: RequestContext,
  users: readonly SimWriter[],
  caller: SimWriter,
  headers: Readonly<Record<string, string>>,
): void {
  const query = ctx.query.get("sysparm_query") ?? "";
  const conditions = new Map<string, string>();
  for (const term of query.split("^")) {
    const match = /^(user|user\.user_name|role\.name)=(.*)$/.exec(term);
    if (match) {
      conditions.set(
        match[1],
        match[2] === "javascript:gs.getUserName()" ? caller.userName : match[2],
      );
    }
  }
  const display = ctx.query.get("sysparm_display_value") === "true";
  const requested = (ctx.query.get("sysparm_fields") ?? "sys_id,user,role,state")
    .split(",")
    .map((field) => field.trim())
    .filter((field) => field !== "");
  const rows: Record<string, string>[] = [];
  for (const user of users) {
    if (conditions.has("user") && conditions.get("user") !== user.sysId) {
      continue;
    }
    if (conditions.has("user.user_name") && conditions.get("user.user_name") !== user.userName) {
      continue;
    }
    for (const role of user.roles) {
      if (conditions.has("role.name") && conditions.get("role.name") !== role) {
        continue;
      }
      const all: Record<string, string> = {
        sys_id: md5(`${user.sysId}:${role}`),
        user: display ? user.userName : user.sysId,
        role: display ? role : md5(`role:${role}`),
        "role.name": role,
        state: "active",
      };
      rows.push(Object.fromEntries(requested.filter((f) => f in all).map((f) => [f, all[f]])));
    }
  }
  ctx.json(200, { result: rows }, { ...headers, "X-Total-Count": String(rows.length) });
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

/** Body values the table takes; unknown names and system fields are dropped, as ServiceNow does. */
function acceptedValues(
  table: TableDef,
  body: Readonly<Record<string, unknown>>,
): { values: Record<string, string>; journal: Array<[string, string]> } {
  const values: Record<string, string> = {};
  const journal: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(body)) {
    const value = textOf(raw);
    if (value === null || name.startsWith("sys_")) {
      continue;
    }
    if (JOURNAL_ELEMENTS.has(name) && table.field(name)) {
      if (value.trim() !== "") {
        journal.push([name, value]);
      }
      continue;
    }
    if (table.field(name) || /^u_[a-z0-9_]+$/.test(name)) {
      values[name] = value;
    }
  }
  return { values, journal };
}

function textOf(raw: unknown): string | null {
  if (typeof raw === "string") {
    return raw;
  }
  if (typeof raw === "number" || typeof raw === "boolean") {
    return String(raw);
  }
  if (typeof raw === "object" && raw !== null && "value" in raw) {
    return textOf(raw.value);
  }
  return null;
}

function onlyKnown(table: TableDef, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([name]) => table.field(name) || name.startsWith("u_")),
  );
}

function creationDefaults(
  table: TableDef,
  writer: SimWriter,
  stamp: string,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  if (table.name !== "incident") {
    return {};
  }
  return {
    state: "1",
    impact: "3",
    urgency: "3",
    active: "true",
    opened_at: stamp,
    opened_by: writer.sysId,
    contact_type: values.contact_type ?? "",
  };
}

/** Business rules of a fresh instance: priority from impact × urgency, resolve and close stamps. */
function incidentRules(
  merged: Readonly<Record<string, string>>,
  current: SimRecord | undefined,
  writer: SimWriter,
  stamp: string,
): Record<string, string> {
  const changes: Record<string, string> = {};
  const priority = PRIORITY[`${merged.impact ?? ""},${merged.urgency ?? ""}`];
  if (priority !== undefined) {
    changes.priority = priority;
  }
  const state = merged.state ?? "";
  if (state !== (current?.state ?? "")) {
    if (state === "6" || state === "7") {
      changes.resolved_at = merged.resolved_at || stamp;
      changes.resolved_by = merged.resolved_by || writer.sysId;
    }
    if (state === "7" || state === "8") {
      changes.closed_at = stamp;
      changes.closed_by = writer.sysId;
      changes.active = "false";
    }
    if (
      current !== undefined &&
      RESOLVED_STATES.has(current.state ?? "") &&
      !RESOLVED_STATES.has(state)
    ) {
      changes.reopen_count = String(Number(current.reopen_count || "0") + 1);
      changes.resolved_at = "";
      changes.resolved_by = "";
    }
  }
  if (current !== undefined && merged.assignment_group !== (current.assignment_group ?? "")) {
    changes.reassignment_count = String(Number(current.reassignment_count || "0") + 1);
  }
  return changes;
}
