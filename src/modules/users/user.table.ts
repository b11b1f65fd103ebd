import { boolean, integration, recordColumns, reference, text } from "../../table-model/columns";
import type { TableDescriptor } from "../../table-model/table.descriptor";

export const USER_TABLE = {
  name: "sys_user",
  entityName: "sn_user",
  typeName: "User",
  label: "Users",
  description: "A ServiceNow user (table `sys_user`).",
  cursorField: "sys_updated_on",
  // Preflight reads it from attributes: an integration user should be web-service only.
  attributeFields: ["web_service_access_only"],
  columns: [
    ...recordColumns(),
    text("user_name", { property: "userName", length: 255 }),
    text("name", { property: "name", length: 255, order: "NAME" }),
    text("first_name", { property: "firstName", length: 255 }),
    text("last_name", { property: "lastName", length: 255 }),
    text("email", { property: "email", length: 320 }),
    text("employee_number", { property: "employeeNumber", length: 100 }),
    text("title", { property: "title", length: 255 }),
    reference("department", "cmn_department", {
      property: "departmentSysId",
      description: "sys_id of the cmn_department.",
      filter: { description: "Department sys_ids." },
    }),
    reference("manager", "sys_user", {
      property: "managerSysId",
      relation: "manager",
      filter: { description: "Manager sys_ids." },
    }),
    boolean("active", { property: "active", filter: true }),
    boolean("locked_out", { property: "lockedOut" }),
    // Empty means the instance's default zone.
    text("time_zone", { property: "timeZone", length: 64 }),
  ],
  relations: [integration()],
  indexes: [
    ["integrationId", "userName"],
    ["userName", "id"],
    ["name", "id"],
  ],
  list: {
    name: "users",
    description: "Users, ordered by name.",
    defaultOrder: [{ order: "NAME", direction: "ASC" }],
    orderable: false,
    search: {
      properties: ["name", "userName", "email"],
      description: "Case-insensitive text in the name, user name or email.",
    },
  },
  lookup: {
    name: "user",
    description: "One user by sysId or userName.",
    key: "userName",
    keyDescription: "ServiceNow user_name.",
  },
  displayProperty: "name",
} satisfies TableDescriptor;
