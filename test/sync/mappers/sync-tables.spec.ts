import { type RawRecord, SERVICENOW_TABLE_NAMES, SERVICENOW_TABLES } from "../../../src/servicenow";
import { MappingError } from "../../../src/sync/mappers/mapping.error";
import type { SyncTable } from "../../../src/sync/sync-table";
import { SYNC_TABLES, syncTableOf, syncTableProblems } from "../../../src/sync/sync-tables";
import { TABLES } from "../../../src/tables";
import { CONTEXT, withDisplayValues } from "./mapper-fixtures";

/**
 * Columns a mapper fills from a field that already feeds another column, read from each
 * descriptor: choice and integer labels, the choice's enum property, and a write-once table's
 * update time (its sys_updated_on column reads sys_created_on).
 */
const DERIVED: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  TABLES.map((table) => {
    const fields = new Set<string>();
    const derived: string[] = [];
    for (const column of table.columns) {
      if (fields.has(column.field)) {
        derived.push(column.property);
      }
      fields.add(column.field);
      derived.push(...[column.label?.property, column.choice?.property].filter(isDefined));
    }
    return [table.name, derived];
  }),
);

function isDefined(value: string | undefined): value is string {
  return value !== undefined;
}
const CONTEXT_COLUMNS = ["integrationId", "syncedAt", "attributes"];

const SYS_ID = "0123456789abcdef0123456789abcdef";

/** The smallest valid record of a table: its keys set, every other spec field returned empty. */
function keysOnly(table: SyncTable): Record<string, string> {
  const record: Record<string, string> = Object.fromEntries(
    table.spec.fields.map((field) => [field, ""]),
  );
  record.sys_id = SYS_ID;
  record.sys_created_on = "2024-01-01 00:00:00";
  if (table.spec.fields.includes("sys_updated_on")) {
    record.sys_updated_on = "2024-01-02 00:00:00";
  }
  for (const field of table.spec.requiredFields) {
    if (record[field] === "") {
      record[field] = field === "name" ? "incident" : "x";
    }
  }
  return record;
}

describe("SYNC_TABLES", () => {
  it("lists every ServiceNow table once, in dependency order", () => {
    // TABLES holds the dependency order (groups, users, incidents, changes, approvals, journal).
    expect(SYNC_TABLES.map((table) => table.spec.name)).toEqual(TABLES.map((table) => table.name));
    expect(SYNC_TABLES.map((table) => table.spec.name).sort()).toEqual(
      [...SERVICENOW_TABLE_NAMES].sort(),
    );
  });

  it("finds no problem when the registry is the real one", () => {
    expect(syncTableProblems(SYNC_TABLES)).toEqual([]);
    for (const table of SYNC_TABLES) {
      expect(table.spec).toBe(SERVICENOW_TABLES[table.spec.name]);
      const unknown = Object.keys(table.columns).filter(
        (field) => !table.spec.fields.includes(field),
      );
      expect([table.spec.name, unknown]).toEqual([table.spec.name, []]);
    }
  });

  it("reports a missing table, a duplicate and a column outside the spec when the registry is broken", () => {
    const [groups, users, ...rest] = SYNC_TABLES;
    if (groups === undefined || users === undefined) {
      throw new Error("registry too short");
    }
    const withStrayColumn: SyncTable = {
      ...users,
      columns: { ...users.columns, u_badge: "sysId" },
    };

    const problems = syncTableProblems([groups, groups, withStrayColumn, ...rest.slice(1)]);

    expect(problems).toEqual([
      "sys_user_group is listed twice",
      "sys_user.u_badge feeds a column but is not in the table's fields",
      "problem has no sync table",
    ]);
  });

  it.each(SYNC_TABLES.map((table) => [table.spec.name, table] as const))(
    "maps %s into exactly the columns it declares when every spec field is returned",
    (name, table) => {
      const row = table.map(keysOnly(table), CONTEXT);

      const filled = Object.keys(row).filter(
        (key) => !CONTEXT_COLUMNS.includes(key) && !(DERIVED[name] ?? []).includes(key),
      );
      expect(filled.sort()).toEqual([...new Set(Object.values(table.columns))].sort());
      // Spec fields without a column are kept raw.
      const uncolumned = table.spec.fields.filter((field) => !(field in table.columns));
      expect(Object.keys(row.attributes).sort()).toEqual(uncolumned.sort());
    },
  );

  it.each(SYNC_TABLES.map((table) => [table.spec.name, table] as const))(
    "maps %s purely: same row whatever the clock, input untouched",
    (_name, table) => {
      const record = withDisplayValues(keysOnly(table));
      const frozen = Object.freeze(
        Object.fromEntries(
          Object.entries(record).map(([field, raw]) => [field, Object.freeze(raw)]),
        ),
      );
      jest.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
      try {
        const first = table.map(frozen, CONTEXT);
        jest.setSystemTime(new Date("2031-06-15T12:00:00Z"));
        expect(table.map(frozen, CONTEXT)).toEqual(first);
        expect(first.syncedAt).toBe(CONTEXT.syncedAt);
      } finally {
        jest.useRealTimers();
      }
    },
  );

  describe("malformed records", () => {
    const cases = SYNC_TABLES.map((table) => [table.spec.name, table] as const);

    it.each(cases)("throws a MappingError for %s when sys_id is missing", (name, table) => {
      const { sys_id: _sysId, ...record } = keysOnly(table);

      expect(() => table.map(record, CONTEXT)).toThrow(
        expect.objectContaining({
          code: "MISSING_VALUE",
          table: name,
          sysId: null,
          field: "sys_id",
        }),
      );
    });

    it.each(cases)(
      "throws a MappingError for %s when sys_id could change a query (^)",
      (name, table) => {
        const record = { ...keysOnly(table), sys_id: "abc^ORDERBYnumber" };

        expect(() => table.map(record, CONTEXT)).toThrow(
          expect.objectContaining({ code: "INVALID_VALUE", table: name, field: "sys_id" }),
        );
      },
    );

    it.each(cases)(
      "throws a MappingError for %s when its cursor timestamp is empty",
      (name, table) => {
        const cursor = table.spec.cursorField;
        const record = withDisplayValues({ ...keysOnly(table), [cursor]: "" }, { [cursor]: null });

        expect(() => table.map(record, CONTEXT)).toThrow(
          expect.objectContaining({
            code: "MISSING_VALUE",
            table: name,
            sysId: SYS_ID,
            field: cursor,
          }),
        );
      },
    );

    it.each(cases)(
      "throws a MappingError for %s when its cursor timestamp is not a UTC date-time",
      (name, table) => {
        const cursor = table.spec.cursorField;
        const record = { ...keysOnly(table), [cursor]: "UNKNOWN" };

        expect(() => table.map(record, CONTEXT)).toThrow(
          expect.objectContaining({ code: "INVALID_VALUE", table: name, field: cursor }),
        );
      },
    );

    it("throws a MappingError when a field is neither a string nor a {value} object", () => {
      const table = syncTableOf("sys_user");
      const record = { ...keysOnly(table), active: 1 } as unknown as RawRecord;

      expect(() => table.map(record, CONTEXT)).toThrow(MappingError);
    });
  });
});

describe("syncTableOf", () => {
  it("returns the sync table of a table the gateway reads", () => {
    for (const name of SERVICENOW_TABLE_NAMES) {
      expect(syncTableOf(name).spec.name).toBe(name);
    }
  });

  it("throws when the table is not one the gateway reads", () => {
    expect(() => syncTableOf("cmdb_ci")).toThrow(/cmdb_ci/);
  });
});
