import { INCIDENT_TABLE } from "../../src/modules/incidents/incident.table";
import { choice, recordColumns, reference, text } from "../../src/table-model/columns";
import type { TableDescriptor } from "../../src/table-model/table.descriptor";

/**
 * A problem table known only by its descriptor, listed before incidents, and the incident
 * descriptor with columns the incident generator does not know: a link to a problem and a
 * choice. Stands for adding ServiceNow's `problem` table and `incident.problem_id`.
 */
export const PROBLEM_TABLE: TableDescriptor = {
  name: "u_problem",
  entityName: "test_problem",
  typeName: "TestProblem",
  label: "Problems",
  description: "A test problem table described only by its descriptor.",
  cursorField: "sys_updated_on",
  journalFields: ["work_notes"],
  columns: [
    ...recordColumns(),
    text("number", { property: "number", length: 40 }),
    text("short_description", { property: "shortDescription", length: 80 }),
    choice("state", {
      property: "stateValue",
      choice: { name: "TestProblemState", property: "state", values: { NEW: "101", FIXED: "106" } },
    }),
    reference("assigned_to", "sys_user", { property: "assignedToSysId" }),
  ],
};

export const INCIDENT_ORIGIN_VALUES = { MONITORING: "monitoring", USER: "user" } as const;

export const INCIDENT_WITH_PROBLEM_TABLE: TableDescriptor = {
  ...INCIDENT_TABLE,
  columns: [
    ...INCIDENT_TABLE.columns,
    reference("u_problem", "u_problem", { property: "problemSysId", relation: "problem" }),
    choice("u_origin", {
      property: "originValue",
      choice: { name: "TestIncidentOrigin", property: "origin", values: INCIDENT_ORIGIN_VALUES },
    }),
  ],
};
