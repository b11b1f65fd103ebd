import { randomBytes } from "node:crypto";

import { Client } from "pg";

import { PlanUpserter } from "../../src/sync/worker/plan.upserter";
import type { UpsertPlan } from "../../src/sync/worker/upsert.plan";
import { POSTGRES_BASE_URL, postgresReachable } from "../support/postgres-available";

/**
 * On PostgreSQL a page's jsonb values travel nested in the page's one JSON parameter (not as
 * JSON text inside it): they must still arrive as the same jsonb TypeORM stores, with quotes,
 * backslashes and non-ASCII text intact, and a null property as SQL NULL rather than a JSON
 * null; a json column keeps JSON.stringify's exact text, as TypeORM's.
 */
const itWithPostgres = postgresReachable() ? it : it.skip;

describe("the PostgreSQL page upsert's JSON columns", () => {
  itWithPostgres(
    "stores nested values as their jsonb and null as NULL, on insert and update",
    async () => {
      const client = new Client({ connectionString: POSTGRES_BASE_URL });
      await client.connect();
      const schema = `plan_json_${randomBytes(6).toString("hex")}`;
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query(
          `CREATE TABLE ${schema}.doc (integration_id varchar NOT NULL, sys_id varchar NOT NULL, ` +
            `attributes jsonb, notes json, label varchar, UNIQUE (integration_id, sys_id))`,
        );
        const plan: UpsertPlan = {
          table: `${schema}.doc`,
          dialect: "postgres",
          columns: [
            { name: "integration_id", property: "integrationId", kind: "text", sqlType: "varchar" },
            { name: "sys_id", property: "sysId", kind: "text", sqlType: "varchar" },
            { name: "attributes", property: "attributes", kind: "json", sqlType: "jsonb" },
            { name: "notes", property: "notes", kind: "json", sqlType: "json" },
            { name: "label", property: "label", kind: "text", sqlType: "varchar" },
          ],
          conflictColumns: ["integration_id", "sys_id"],
        };
        const upserter = new PlanUpserter(plan);
        const executor = {
          execute: (sql: string, parameters: readonly unknown[]) =>
            client.query(sql, [...parameters]),
        };
        const tricky = { quote: 'say "hi"', slash: "a\\b", text: "Zürich — 東京", empty: "" };
        await upserter.upsert(executor, [
          { integrationId: "i", sysId: "a", attributes: tricky, notes: ["x", 1], label: "first" },
          { integrationId: "i", sysId: "b", attributes: null, notes: undefined, label: null },
        ]);
        const read = async () =>
          (
            await client.query(
              `SELECT sys_id, attributes, attributes IS NULL AS no_attributes, notes::text AS notes, ` +
                `notes IS NULL AS no_notes, label FROM ${schema}.doc ORDER BY sys_id`,
            )
          ).rows;
        expect(await read()).toEqual([
          {
            sys_id: "a",
            attributes: tricky,
            no_attributes: false,
            notes: '["x",1]',
            no_notes: false,
            label: "first",
          },
          {
            sys_id: "b",
            attributes: null,
            no_attributes: true,
            notes: null,
            no_notes: true,
            label: null,
          },
        ]);

        await upserter.upsert(executor, [
          { integrationId: "i", sysId: "a", attributes: null, notes: null, label: "again" },
          { integrationId: "i", sysId: "b", attributes: { n: "1" }, notes: { k: "v" }, label: "b" },
        ]);
        const [first, second] = await read();
        expect(first).toMatchObject({ no_attributes: true, no_notes: true, label: "again" });
        expect(second).toMatchObject({ attributes: { n: "1" }, notes: '{"k":"v"}', label: "b" });
      } finally {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  );
});
