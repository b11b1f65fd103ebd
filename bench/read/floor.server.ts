import http from "node:http";
import type { AddressInfo } from "node:net";

import Database from "better-sqlite3";
import { Pool } from "pg";

import { incidentStateOf } from "../../src/modules/incidents/incident.enums";
import { BENCH_ADMIN_TOKEN } from "../support/bench-gateway";
import { runChild, serveParent } from "../support/child-process";

/**
 * The floor of the read benchmark: the frontend query answered by hand — node:http, two
 * prepared statements on better-sqlite3 or pg (page with assignee and group joined; the 5
 * latest updates of those incidents), JSON.stringify — in the response shape the gateway gives.
 * argv: <sqlite file or postgres:// URL>
 */

interface IncidentRow {
  id: number;
  integration_id: string;
  sys_id: string;
  number: string | null;
  short_description: string | null;
  state_value: string | null;
  opened_at: string | null;
  assignee_name: string | null;
  assignee_email: string | null;
  assignee_id: number | null;
  group_name: string | null;
  group_id: number | null;
}

interface UpdateRow {
  element_sys_id: string;
  element: string;
  value: string | null;
  created_by: string | null;
  sys_created_on: string;
}

const isoOf = (value: string | null): string | null =>
  value === null ? null : `${value.replace(" ", "T")}Z`;

/** The two statements on SQLite: prepared once, run synchronously. */
function sqliteFloor(file: string): Floor {
  const db = new Database(file, { readonly: true });
  const page = db.prepare(`
    SELECT i.id, i.integration_id, i.sys_id, i.number, i.short_description, i.state_value,
           i.opened_at, u.id AS assignee_id, u.name AS assignee_name, u.email AS assignee_email,
           g.id AS group_id, g.name AS group_name
    FROM incident i
    LEFT JOIN sn_user u
      ON u.integration_id = i.integration_id AND u.sys_id = i.assigned_to_sys_id
    LEFT JOIN sn_user_group g
      ON g.integration_id = i.integration_id AND g.sys_id = i.assignment_group_sys_id
    ORDER BY i.opened_at DESC, i.id DESC
    LIMIT ?`);
  const updates = db.prepare(`
    SELECT element_sys_id, element, value, created_by, sys_created_on FROM (
      SELECT j.*, ROW_NUMBER() OVER (
        PARTITION BY j.element_sys_id ORDER BY j.sys_created_on DESC, j.id DESC) AS rank
      FROM journal_entry j
      WHERE j.integration_id = ? AND j.element_sys_id IN (SELECT value FROM json_each(?))
    ) WHERE rank <= 5
    ORDER BY element_sys_id, rank`);
  return {
    page: async (limit) => page.all(limit) as IncidentRow[],
    updates: async (integrationId, sysIds) =>
      updates.all(integrationId, JSON.stringify(sysIds)) as UpdateRow[],
    isoOf,
    close: async () => {
      db.close();
    },
  };
}

/** The same two statements on PostgreSQL, named (prepared once per connection). */
function postgresFloor(url: string): Floor {
  const pool = new Pool({ connectionString: url, max: 10 });
  const iso = (column: string) =>
    `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const pageSql = `
    SELECT i.id, i.integration_id, i.sys_id, i.number, i.short_description, i.state_value,
           ${iso("i.opened_at")} AS opened_at, u.id AS assignee_id, u.name AS assignee_name,
           u.email AS assignee_email, g.id AS group_id, g.name AS group_name
    FROM incident i
    LEFT JOIN sn_user u
      ON u.integration_id = i.integration_id AND u.sys_id = i.assigned_to_sys_id
    LEFT JOIN sn_user_group g
      ON g.integration_id = i.integration_id AND g.sys_id = i.assignment_group_sys_id
    ORDER BY i.opened_at DESC, i.id DESC
    LIMIT $1`;
  const updatesSql = `
    SELECT element_sys_id, element, value, created_by, sys_created_on FROM (
      SELECT j.element_sys_id, j.element, j.value, j.created_by,
             ${iso("j.sys_created_on")} AS sys_created_on, ROW_NUMBER() OVER (
        PARTITION BY j.element_sys_id ORDER BY j.sys_created_on DESC, j.id DESC) AS rank
      FROM journal_entry j
      WHERE j.integration_id = $1 AND j.element_sys_id = ANY($2)
    ) ranked WHERE rank <= 5
    ORDER BY element_sys_id, rank`;
  return {
    page: async (limit) =>
      (await pool.query<IncidentRow>({ name: "floor_page", text: pageSql, values: [limit] })).rows,
    updates: async (integrationId, sysIds) =>
      (
        await pool.query<UpdateRow>({
          name: "floor_updates",
          text: updatesSql,
          values: [integrationId, sysIds],
        })
      ).rows,
    // Already ISO, formatted by the server.
    isoOf: (value) => value,
    close: () => pool.end(),
  };
}

interface Floor {
  page(limit: number): Promise<IncidentRow[]>;
  updates(integrationId: string, sysIds: string[]): Promise<UpdateRow[]>;
  isoOf(value: string | null): string | null;
  close(): Promise<void>;
}

runChild(async () => {
  const source = process.argv[2];
  const floor = /^postgres(ql)?:\/\//.test(source) ? postgresFloor(source) : sqliteFloor(source);

  const answer = async (first: number): Promise<string> => {
    const rows = await floor.page(first + 1);
    const hasNextPage = rows.length > first;
    const shown = hasNextPage ? rows.slice(0, first) : rows;
    const byIncident = new Map<string, UpdateRow[]>();
    if (shown.length > 0) {
      const ids = shown.map((row) => row.sys_id);
      for (const update of await floor.updates(shown[0].integration_id, ids)) {
        const list = byIncident.get(update.element_sys_id) ?? [];
        list.push(update);
        byIncident.set(update.element_sys_id, list);
      }
    }
    const edges = shown.map((row) => ({
      cursor: Buffer.from(JSON.stringify([row.opened_at, row.id])).toString("base64url"),
      node: {
        number: row.number,
        shortDescription: row.short_description,
        state: incidentStateOf(row.state_value),
        openedAt: floor.isoOf(row.opened_at),
        assignedTo:
          row.assignee_id === null ? null : { name: row.assignee_name, email: row.assignee_email },
        assignmentGroup: row.group_id === null ? null : { name: row.group_name },
        updates: (byIncident.get(row.sys_id) ?? []).map((update) => ({
          element: update.element,
          value: update.value,
          createdBy: update.created_by,
          sysCreatedOn: floor.isoOf(update.sys_created_on),
        })),
      },
    }));
    return JSON.stringify({
      data: {
        incidents: {
          edges,
          pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        },
      },
    });
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.headers.authorization !== `Bearer ${BENCH_ADMIN_TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      let first = 50;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          variables?: { first?: unknown };
        };
        if (typeof body.variables?.first === "number") {
          first = body.variables.first;
        }
      } catch {
        response.writeHead(400).end();
        return;
      }
      void answer(first).then(
        (json) => {
          response.writeHead(200, {
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(json),
          });
          response.end(json);
        },
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  serveParent({ graphqlUrl: `http://127.0.0.1:${port}/graphql` }, {}, async () => {
    server.closeAllConnections();
    server.close();
    await floor.close();
  });
});
