import { incidentStateOf } from "../../../src/modules/incidents/incident.enums";
import { IncidentState } from "../../../src/modules/incidents/incident.enums";
import type { RawRecord } from "../../../src/servicenow";
import { MappingError } from "../../../src/sync/mappers/mapping.error";
import type { MappedRow } from "../../../src/sync/sync-table";
import { syncTableOf } from "../../../src/sync/sync-tables";
import {
  CONTEXT,
  fixtureRecord,
  storedValue,
  typedColumns,
  withDisplayValues,
} from "./mapper-fixtures";

/** The sync table derived from the incident descriptor. */
const INCIDENT_SYNC_TABLE = syncTableOf("incident");

/** The row as the API sees it: the mapper's columns plus the entity's computed state enum. */
function mapIncident(
  ...args: Parameters<typeof INCIDENT_SYNC_TABLE.map>
): MappedRow & { state: IncidentState | null } {
  const row = INCIDENT_SYNC_TABLE.map(...args);
  return { ...row, state: incidentStateOf(row.stateValue as string | null) };
}

/** The incident fields with a typed column, listed from the entity (not from the mapper). */
const TYPED_FIELDS = [
  "sys_id",
  "sys_created_on",
  "sys_updated_on",
  "number",
  "short_description",
  "description",
  "state",
  "priority",
  "impact",
  "urgency",
  "severity",
  "category",
  "subcategory",
  "contact_type",
  "caller_id",
  "opened_by",
  "opened_at",
  "assignment_group",
  "assigned_to",
  "reassignment_count",
  "reopen_count",
  "hold_reason",
  "resolved_at",
  "resolved_by",
  "closed_at",
  "closed_by",
  "sla_due",
  "close_code",
  "close_notes",
  "caused_by",
  "rfc",
  "problem_id",
  "business_service",
  "cmdb_ci",
  "business_stc",
  "calendar_stc",
  "active",
  "sys_mod_count",
];

const CALLER = "46c6f9efa9fe198101ddf5eed9adf6e7";

function minimalIncident(fields: Record<string, string>): RawRecord {
  return {
    sys_id: "0123456789abcdef0123456789abcdef",
    sys_created_on: "2024-05-01 08:00:00",
    sys_updated_on: "2024-05-02 09:30:00",
    ...fields,
  };
}

describe("INCIDENT_SYNC_TABLE", () => {
  const fixture = fixtureRecord("incident.single.display_value_false.json");

  it("maps the recorded incident field by field when display values are off ({link, value} references)", () => {
    const row = mapIncident(fixture, CONTEXT);

    expect(typedColumns(row)).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: "a9e30c7dc61122760116894de7bcc7bd",
      sysCreatedOn: new Date("2015-11-01T22:05:30Z"),
      sysUpdatedOn: new Date("2015-11-01T22:37:27Z"),
      number: "INC0000046",
      shortDescription: "Can't access SFA software",
      description: null,
      stateValue: "1",
      state: IncidentState.NEW,
      stateLabel: "New",
      priority: 3,
      priorityLabel: "3 - Moderate",
      impact: 1,
      urgency: 3,
      severity: 3,
      category: "software",
      subcategory: null,
      contactType: "phone",
      callerSysId: CALLER,
      openedBySysId: CALLER,
      openedAt: new Date("2015-11-02T22:04:15Z"),
      assignmentGroupSysId: "8a4dde73c6112278017a6a4baf547aa7",
      assignedToSysId: null,
      reassignmentCount: 1,
      reopenCount: null,
      // Not returned at all: reads as empty.
      holdReason: null,
      resolvedAt: null,
      resolvedBySysId: null,
      closedAt: null,
      closedBySysId: null,
      slaDue: new Date("2015-11-11T22:04:15Z"),
      closeCode: null,
      closeNotes: null,
      causedBySysId: null,
      rfcSysId: null,
      // A {link, value} reference: the sys_id, not the link.
      problemSysId: "a9e4890bc6112276003d7a5a5c774a74",
      businessServiceSysId: null,
      cmdbCiSysId: "a9c0c8d2c6112276018f7705562f9cb0",
      businessDurationSeconds: null,
      calendarDurationSeconds: null,
      active: true,
      sysModCount: 4,
    });
  });

  it("maps every untyped field into attributes as its raw value when display values are off", () => {
    const { attributes } = mapIncident(fixture, CONTEXT);

    const expected = Object.fromEntries(
      Object.entries(fixture)
        .filter(([field]) => !TYPED_FIELDS.includes(field))
        .map(([field, raw]) => [field, storedValue(raw)]),
    );
    expect(attributes).toEqual(expected);
    // Spot checks of the above: a reference keeps its sys_id, not its link; empties stay "".
    expect(attributes.location).toBe("105cf7f3c611227501e75e08b14a38ba");
    expect(attributes.incident_state).toBe("1");
    expect(attributes.parent).toBe("");
    expect(Object.keys(attributes).filter((key) => key.endsWith(".display"))).toEqual([]);
  });

  it("maps the same typed columns when the same incident comes with display values (all)", () => {
    const withDisplays = withDisplayValues(fixture, {
      // The API user sits in America/Los_Angeles (UTC-8 in November 2015).
      sys_created_on: "2015-11-01 14:05:30",
      sys_updated_on: "2015-11-01 14:37:27",
      opened_at: "2015-11-02 14:04:15",
      sla_due: "2015-11-11 14:04:15",
      state: "New",
      priority: "3 - Moderate",
      impact: "1 - High",
      urgency: "3 - Low",
      severity: "3 - Low",
      contact_type: "Phone",
      caller_id: "Joe Employee",
      opened_by: "Joe Employee",
      assignment_group: "Software",
      cmdb_ci: "Sales Force Automation",
      location: "San Diego",
      active: "true",
      assigned_to: "",
      close_code: null,
    });

    const plain = mapIncident(fixture, CONTEXT);
    const paired = mapIncident(withDisplays, CONTEXT);

    expect(typedColumns(paired)).toEqual(typedColumns(plain));
    expect(paired.attributes).toEqual({
      ...plain.attributes,
      "caller_id.display": "Joe Employee",
      "opened_by.display": "Joe Employee",
      "assignment_group.display": "Software",
      "cmdb_ci.display": "Sales Force Automation",
      "location.display": "San Diego",
      "impact.display": "1 - High",
      "urgency.display": "3 - Low",
      "severity.display": "3 - Low",
      "contact_type.display": "Phone",
    });
  });

  it("maps empty strings to null when every optional field is empty, in both shapes", () => {
    const empty = minimalIncident(
      Object.fromEntries(
        TYPED_FIELDS.filter((field) => !field.startsWith("sys_")).map((field) => [field, ""]),
      ),
    );
    const expectedNulls = {
      number: null,
      shortDescription: null,
      stateValue: null,
      state: null,
      stateLabel: null,
      priority: null,
      priorityLabel: null,
      callerSysId: null,
      openedAt: null,
      reassignmentCount: null,
      businessDurationSeconds: null,
      active: null,
    };

    expect(mapIncident(empty, CONTEXT)).toMatchObject(expectedNulls);
    // With display values, an empty choice has display_value null and a reference "".
    const paired = withDisplayValues(empty, { state: null, priority: null, caller_id: "" });
    expect(mapIncident(paired, CONTEXT)).toMatchObject(expectedNulls);
    // Every typed field was returned, so nothing is left for attributes.
    expect(mapIncident(paired, CONTEXT).attributes).toEqual({});
  });

  it("maps business_stc and calendar_stc as integer seconds while the durations stay raw", () => {
    const row = mapIncident(
      minimalIncident({
        business_stc: "5400",
        calendar_stc: "86400",
        business_duration: "1970-01-01 01:30:00",
      }),
      CONTEXT,
    );

    expect(row.businessDurationSeconds).toBe(90 * 60);
    expect(row.calendarDurationSeconds).toBe(24 * 3600);
    expect(row.attributes).toEqual({ business_duration: "1970-01-01 01:30:00" });
  });

  it("maps resolution and closure fields to UTC dates and sys_ids when they are set", () => {
    const row = mapIncident(
      minimalIncident({
        state: "7",
        resolved_at: "2024-05-01 10:00:00",
        resolved_by: "11111111111111111111111111111111",
        closed_at: "2024-05-02 09:30:00",
        closed_by: "22222222222222222222222222222222",
        caused_by: "33333333333333333333333333333333",
        rfc: "44444444444444444444444444444444",
        hold_reason: "awaiting_vendor",
        close_code: "Solved (Permanently)",
      }),
      CONTEXT,
    );

    expect(row).toMatchObject({
      state: IncidentState.CLOSED,
      stateLabel: "Closed",
      resolvedAt: new Date("2024-05-01T10:00:00Z"),
      resolvedBySysId: "11111111111111111111111111111111",
      closedAt: new Date("2024-05-02T09:30:00Z"),
      closedBySysId: "22222222222222222222222222222222",
      causedBySysId: "33333333333333333333333333333333",
      rfcSysId: "44444444444444444444444444444444",
      holdReason: "awaiting_vendor",
      closeCode: "Solved (Permanently)",
    });
  });

  it.each([
    ["1", IncidentState.NEW, "New"],
    ["2", IncidentState.IN_PROGRESS, "In Progress"],
    ["3", IncidentState.ON_HOLD, "On Hold"],
    ["6", IncidentState.RESOLVED, "Resolved"],
    ["7", IncidentState.CLOSED, "Closed"],
    ["8", IncidentState.CANCELED, "Canceled"],
  ])(
    "maps state %s to %s with ServiceNow's default label when no display value is returned",
    (value, state, label) => {
      const row = mapIncident(minimalIncident({ state: value }), CONTEXT);

      expect(row).toMatchObject({ stateValue: value, state, stateLabel: label });
    },
  );

  it.each([
    ["1", "1 - Critical"],
    ["2", "2 - High"],
    ["3", "3 - Moderate"],
    ["4", "4 - Low"],
    ["5", "5 - Planning"],
  ])(
    "maps priority %s to the default label %s when no display value is returned",
    (value, label) => {
      const row = mapIncident(minimalIncident({ priority: value }), CONTEXT);

      expect(row.priority).toBe(Number(value));
      expect(row.priorityLabel).toBe(label);
    },
  );

  it("maps labels from the display values when the instance renames its choices", () => {
    const record = withDisplayValues(minimalIncident({ state: "2", priority: "1" }), {
      state: "En cours",
      priority: "1 - Critique",
    });

    const row = mapIncident(record, CONTEXT);

    expect(row).toMatchObject({
      state: IncidentState.IN_PROGRESS,
      stateLabel: "En cours",
      priority: 1,
      priorityLabel: "1 - Critique",
    });
    // The labels have columns: no copy in attributes.
    expect(row.attributes).toEqual({});
  });

  it("keeps an unknown state and priority raw with a null enum when the instance adds choices", () => {
    const plain = mapIncident(minimalIncident({ state: "101", priority: "6" }), CONTEXT);
    expect(plain).toMatchObject({
      stateValue: "101",
      state: null,
      stateLabel: null,
      priority: 6,
      priorityLabel: null,
    });

    const paired = mapIncident(
      withDisplayValues(minimalIncident({ state: "101" }), { state: "Awaiting Vendor" }),
      CONTEXT,
    );
    expect(paired).toMatchObject({ stateValue: "101", state: null, stateLabel: "Awaiting Vendor" });
  });

  it("throws a MappingError naming the field when an integer column holds text", () => {
    const record = minimalIncident({ reassignment_count: "many" });

    expect(() => mapIncident(record, CONTEXT)).toThrow(
      expect.objectContaining({
        name: "MappingError",
        code: "INVALID_VALUE",
        table: "incident",
        sysId: "0123456789abcdef0123456789abcdef",
        field: "reassignment_count",
      }),
    );
  });

  it("throws a MappingError when a date-time column holds a display value instead of UTC", () => {
    const record = minimalIncident({ opened_at: "11/02/2015 02:04:15 PM" });

    expect(() => mapIncident(record, CONTEXT)).toThrow(MappingError);
  });
});
