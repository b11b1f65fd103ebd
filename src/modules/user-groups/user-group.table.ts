import { boolean, integration, recordColumns, reference, text } from "../../table-model/columns";
import type { TableDescriptor } from "../../table-model/table.descriptor";

export const USER_GROUP_TABLE = {
  name: "sys_user_group",
  entityName: "sn_user_group",
  typeName: "UserGroup",
  label: "Assignment groups",
  description: "A ServiceNow assignment group (table `sys_user_group`).",
  cursorField: "sys_updated_on",
  columns: [
    ...recordColumns(),
    text("name", { property: "name", length: 255 }),
    text("description", { property: "description" }),
    text("email", { property: "email", length: 320 }),
    reference("manager", "sys_user", { property: "managerSysId", relation: "manager" }),
    boolean("active", { property: "active" }),
  ],
  relations: [integration()],
  displayProperty: "name",
} satisfies TableDescriptor;
