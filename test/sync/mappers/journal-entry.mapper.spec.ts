import { MappingError } from "../../../src/sync/mappers/mapping.error";
import { syncTableOf } from "../../../src/sync/sync-tables";
import { CONTEXT, withDisplayValues } from "./mapper-fixtures";

/** The sync table derived from the sys_journal_field descriptor. */
const JOURNAL_ENTRY_SYNC_TABLE = syncTableOf("sys_journal_field");

const ENTRY = {
  sys_id: "1c7a2f1c1b2d3e4f5a6b7c8d9e0f1a2b",
  sys_created_on: "2024-04-30 23:59:59",
  element_id: "a9e30c7dc61122760116894de7bcc7bd",
  name: "incident",
  element: "work_notes",
  value: "Rebooted the SFA app server.\nWatching for recurrence.",
  sys_created_by: "beth.anglin",
};

describe("JOURNAL_ENTRY_SYNC_TABLE", () => {
  it("maps a journal entry field by field with sysUpdatedOn = sysCreatedOn when it has no sys_updated_on", () => {
    const row = JOURNAL_ENTRY_SYNC_TABLE.map(ENTRY, CONTEXT);

    expect(row).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: ENTRY.sys_id,
      sysCreatedOn: new Date("2024-04-30T23:59:59Z"),
      sysUpdatedOn: new Date("2024-04-30T23:59:59Z"),
      elementSysId: ENTRY.element_id,
      tableName: "incident",
      element: "work_notes",
      value: ENTRY.value,
      createdBy: "beth.anglin",
      attributes: {},
    });
    expect(JOURNAL_ENTRY_SYNC_TABLE.spec.cursorField).toBe("sys_created_on");
  });

  it("maps the same entry when display values are all (created time in UTC, not the user's zone)", () => {
    const paired = withDisplayValues(ENTRY, { sys_created_on: "2024-05-01 01:59:59" });

    const row = JOURNAL_ENTRY_SYNC_TABLE.map(paired, CONTEXT);

    expect(row).toEqual(JOURNAL_ENTRY_SYNC_TABLE.map(ENTRY, CONTEXT));
    expect(row.sysUpdatedOn).toEqual(new Date("2024-04-30T23:59:59Z"));
  });

  it.each(["element_id", "name", "element"])(
    "throws a MappingError when the key field %s is empty",
    (field) => {
      const record = { ...ENTRY, [field]: "" };

      expect(() => JOURNAL_ENTRY_SYNC_TABLE.map(record, CONTEXT)).toThrow(
        expect.objectContaining({
          code: "MISSING_VALUE",
          table: "sys_journal_field",
          sysId: ENTRY.sys_id,
          field,
        }),
      );
    },
  );

  it("throws a MappingError when sys_created_on (its cursor) is missing", () => {
    const { sys_created_on: _created, ...record } = ENTRY;

    expect(() => JOURNAL_ENTRY_SYNC_TABLE.map(record, CONTEXT)).toThrow(MappingError);
  });

  it("scopes the query to comments and work notes of problems, incidents and change requests", () => {
    expect(JOURNAL_ENTRY_SYNC_TABLE.scope?.(() => new Set())?.toString()).toBe(
      "nameINproblem,incident,change_request^elementINcomments,work_notes",
    );
  });

  it("never asks for a journal field its table excludes, per table", () => {
    const excluded: Record<string, string[]> = {
      incident: ["comments", "description"],
      change_request: ["work_notes"],
    };
    const scope = JOURNAL_ENTRY_SYNC_TABLE.scope?.((table) => new Set(excluded[table] ?? []));

    expect(scope?.toString()).toBe(
      "nameINproblem^elementINcomments,work_notes^NQnameINincident^elementINwork_notes^NQnameINchange_request^elementINcomments",
    );
  });

  it("groups tables that keep the same journal fields into one condition", () => {
    const scope = JOURNAL_ENTRY_SYNC_TABLE.scope?.(
      (table) => new Set(table === "sys_user" ? ["comments"] : ["work_notes"]),
    );

    expect(scope?.toString()).toBe("nameINproblem,incident,change_request^elementINcomments");
  });

  it("reads no journal entry at all when every journal field is excluded", () => {
    const scope = JOURNAL_ENTRY_SYNC_TABLE.scope?.(() => new Set(["comments", "work_notes"]));

    expect(scope).toBeNull();
  });
});
