import { changeRequestStateOf } from "../../../src/modules/change-requests/change-request.enums";
import { ChangeRequestState } from "../../../src/modules/change-requests/change-request.enums";
import type { RawRecord } from "../../../src/servicenow";
import type { MappedRow } from "../../../src/sync/sync-table";
import { syncTableOf } from "../../../src/sync/sync-tables";
import {
  CONTEXT,
  fixtureRecord,
  storedValue,
  typedColumns,
  withDisplayValues,
  withoutDisplayValues,
} from "./mapper-fixtures";

/** The sync table derived from the change_request descriptor. */
const CHANGE_REQUEST_SYNC_TABLE = syncTableOf("change_request");

/** The row as the API sees it: the mapper's columns plus the entity's computed state enum. */
function mapChange(
  ...args: Parameters<typeof CHANGE_REQUEST_SYNC_TABLE.map>
): MappedRow & { state: ChangeRequestState | null } {
  const row = CHANGE_REQUEST_SYNC_TABLE.map(...args);
  return { ...row, state: changeRequestStateOf(row.stateValue as string | null) };
}

/** The change_request fields with a typed column, listed from the entity (not from the mapper). */
const TYPED_FIELDS = [
  "sys_id",
  "sys_created_on",
  "sys_updated_on",
  "number",
  "short_description",
  "description",
  "type",
  "state",
  "priority",
  "impact",
  "risk",
  "category",
  "business_service",
  "cmdb_ci",
  "assignment_group",
  "assigned_to",
  "requested_by",
  "start_date",
  "end_date",
  "work_start",
  "work_end",
  "closed_at",
  "approval",
  "close_code",
  "close_notes",
  "active",
  "sys_mod_count",
];

function minimalChange(fields: Record<string, string>): RawRecord {
  return {
    sys_id: "fedcba9876543210fedcba9876543210",
    sys_created_on: "2024-06-01 08:00:00",
    sys_updated_on: "2024-06-03 17:45:00",
    ...fields,
  };
}

describe("CHANGE_REQUEST_SYNC_TABLE", () => {
  const fixture = fixtureRecord("change_request.list.display_value_all.json");

  it("maps the recorded change field by field when display values are all (UTC values, not zoned displays)", () => {
    const row = mapChange(fixture, CONTEXT);

    expect(typedColumns(row)).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: "a9e9c33dc61122760072455df62663d2",
      // Displays are "2020-03-20 23:12:50" and "2020-09-24 14:42:23" in the API user's zone.
      sysCreatedOn: new Date("2020-03-20T22:12:50Z"),
      sysUpdatedOn: new Date("2020-09-24T12:42:23Z"),
      number: "CHG0000001",
      shortDescription: "Rollback Oracle Version",
      description: storedValue(fixture.description),
      type: "normal",
      stateValue: "-5",
      state: ChangeRequestState.NEW,
      stateLabel: "New",
      priority: 3,
      impact: 3,
      risk: 2,
      category: "Software",
      businessServiceSysId: null,
      cmdbCiSysId: "a9c0c8d2c6112276018f7705562f9cb0",
      assignmentGroupSysId: null,
      assignedToSysId: "681b365ec0a80164000fb0b05854a0cd",
      requestedBySysId: "5137153cc611227c000bbd1bd8cd2007",
      // Display "2020-09-12 01:00:00" → the UTC value is two hours earlier.
      plannedStartAt: new Date("2020-09-11T23:00:00Z"),
      plannedEndAt: new Date("2020-09-12T01:00:00Z"),
      workStartAt: null,
      workEndAt: null,
      closedAt: new Date("2020-09-19T09:46:25Z"),
      approval: "requested",
      // An empty choice: display_value null, value "".
      closeCode: null,
      closeNotes: null,
      active: true,
      sysModCount: 21,
    });
    expect(row.description).toContain("unsupported Oracle DB version");
  });

  it("maps untyped fields to raw values and reference/choice labels to .display keys when display values are all", () => {
    const { attributes } = mapChange(fixture, CONTEXT);

    const untyped = Object.keys(fixture).filter((field) => !TYPED_FIELDS.includes(field));
    const rawKeys = Object.keys(attributes).filter((key) => !key.endsWith(".display"));
    expect(rawKeys.sort()).toEqual(untyped.sort());
    for (const field of untyped) {
      expect([field, attributes[field]]).toEqual([field, storedValue(fixture[field] ?? "")]);
    }

    // Read off the fixture: references and choices whose label differs from the value.
    const displays = Object.fromEntries(
      Object.entries(attributes).filter(([key]) => key.endsWith(".display")),
    );
    expect(displays).toEqual({
      // typed references: the names of the referenced records
      "cmdb_ci.display": "Sales Force Automation",
      "requested_by.display": "David Loo",
      "assigned_to.display": "ITIL User",
      // typed choices without a label column
      "type.display": "Normal",
      "priority.display": "3 - Moderate",
      "impact.display": "3 - Low",
      "risk.display": "High",
      "approval.display": "Requested",
      // untyped references and choices
      "parent.display": "PRB0000006",
      "opened_by.display": "System Administrator",
      "closed_by.display": "System Administrator",
      "sys_class_name.display": "Change Request",
      "phase.display": "Requested",
      "phase_state.display": "Open",
      "escalation.display": "Normal",
      "contact_type.display": "Phone",
      "urgency.display": "3 - Low",
      "scope.display": "Medium",
    });
  });

  it("keeps no zoned date display, no state label copy and no sys_id in attributes", () => {
    const { attributes } = mapChange(fixture, CONTEXT);

    for (const key of [
      "sys_id",
      "sys_id.display",
      "state",
      "state.display",
      "start_date",
      "start_date.display",
      "sys_updated_on.display",
      "requested_by_date.display",
      "sla_due.display",
      "approval_history.display",
      "active.display",
    ]) {
      expect([key, attributes[key]]).toEqual([key, undefined]);
    }
    // Untyped dates keep their UTC value; the "UNKNOWN" display of an empty due date is dropped.
    expect(attributes.requested_by_date).toBe("2020-03-27 00:00:00");
    expect(attributes.sla_due).toBe("");
  });

  it("maps the same typed columns when the same change comes without display values", () => {
    const paired = mapChange(fixture, CONTEXT);
    const plain = mapChange(withoutDisplayValues(fixture), CONTEXT);

    expect(typedColumns(plain)).toEqual(typedColumns(paired));
    expect(Object.keys(plain.attributes).filter((key) => key.endsWith(".display"))).toEqual([]);
    expect(plain.attributes.parent).toBe("a9e4890bc6112276003d7a5a5c774a74");
  });

  it.each([
    ["-5", ChangeRequestState.NEW, "New"],
    ["-4", ChangeRequestState.ASSESS, "Assess"],
    ["-3", ChangeRequestState.AUTHORIZE, "Authorize"],
    ["-2", ChangeRequestState.SCHEDULED, "Scheduled"],
    ["-1", ChangeRequestState.IMPLEMENT, "Implement"],
    ["0", ChangeRequestState.REVIEW, "Review"],
    ["3", ChangeRequestState.CLOSED, "Closed"],
    ["4", ChangeRequestState.CANCELED, "Canceled"],
  ])(
    "maps state %s to %s with ServiceNow's default label when no display value is returned",
    (value, state, label) => {
      const row = mapChange(minimalChange({ state: value }), CONTEXT);

      expect(row).toMatchObject({ stateValue: value, state, stateLabel: label });
    },
  );

  it("keeps an unknown state raw with a null enum and label when the instance adds a state", () => {
    const plain = mapChange(minimalChange({ state: "-40" }), CONTEXT);
    expect(plain).toMatchObject({ stateValue: "-40", state: null, stateLabel: null });

    const paired = mapChange(
      withDisplayValues(minimalChange({ state: "-40" }), { state: "Peer Review" }),
      CONTEXT,
    );
    expect(paired).toMatchObject({ stateValue: "-40", state: null, stateLabel: "Peer Review" });
  });

  it("maps the actual work window to UTC dates when work_start and work_end are set", () => {
    const row = mapChange(
      withDisplayValues(
        minimalChange({ work_start: "2024-06-02 22:00:00", work_end: "2024-06-03 01:15:00" }),
        { work_start: "2024-06-03 00:00:00", work_end: "2024-06-03 03:15:00" },
      ),
      CONTEXT,
    );

    expect(row.workStartAt).toEqual(new Date("2024-06-02T22:00:00Z"));
    expect(row.workEndAt).toEqual(new Date("2024-06-03T01:15:00Z"));
    expect(row.attributes).toEqual({});
  });

  it("maps empty values to null when a change has nothing but its keys", () => {
    const fields = Object.fromEntries(
      TYPED_FIELDS.filter((field) => !field.startsWith("sys_")).map((field) => [field, ""]),
    );

    const row = mapChange(minimalChange(fields), CONTEXT);

    for (const [property, value] of Object.entries(typedColumns(row))) {
      const key = ["integrationId", "syncedAt", "sysId", "sysCreatedOn", "sysUpdatedOn"];
      if (!key.includes(property)) {
        expect([property, value]).toEqual([property, null]);
      }
    }
  });
});
