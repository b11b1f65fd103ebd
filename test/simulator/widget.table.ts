import {
  boolean,
  choice,
  dateTime,
  integer,
  recordColumns,
  reference,
  text,
} from "../../src/table-model/columns";
import type { TableDescriptor } from "../../src/table-model/table.descriptor";

/**
 * A table the simulator has no special knowledge of, described only: it must be served,
 * described in sys_dictionary and generated without an edit to the simulator.
 */
export const WIDGET_TABLE: TableDescriptor = {
  name: "u_widget",
  entityName: "widget",
  typeName: "Widget",
  label: "Widgets",
  description: "A test table described only by its descriptor.",
  cursorField: "sys_updated_on",
  journalFields: ["comments", "work_notes"],
  scope: { u_kind: "gadget" },
  columns: [
    ...recordColumns(),
    text("number", { property: "number", length: 40 }),
    text("short_description", { property: "shortDescription", length: 20 }),
    text("u_kind", { property: "kind", length: 40 }),
    choice("state", {
      property: "stateValue",
      choice: { name: "WidgetState", property: "state", values: { OPEN: "1", DONE: "2" } },
      label: { property: "stateLabel", length: 100, defaults: { "1": "Open", "2": "Done" } },
    }),
    integer("priority", {
      property: "priority",
      label: {
        property: "priorityLabel",
        length: 100,
        defaults: { "1": "1 - High", "2": "2 - Low" },
      },
    }),
    integer("u_count", { property: "count" }),
    boolean("u_known_error", { property: "knownError" }),
    dateTime("u_due_at", { property: "dueAt" }),
    reference("assignment_group", "sys_user_group", { property: "assignmentGroupSysId" }),
    reference("u_incident", "incident", { property: "incidentSysId" }),
  ],
};
