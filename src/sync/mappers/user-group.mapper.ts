import { UserGroup } from "../../modules/user-groups/user-group.entity";
import { SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.sys_user_group;

const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  sys_updated_on: "sysUpdatedOn",
  name: "name",
  description: "description",
  email: "email",
  manager: "managerSysId",
  active: "active",
} as const satisfies SyncTable<UserGroup>["columns"];

/** `sys_user_group` → `UserGroup`. */
export const USER_GROUP_SYNC_TABLE: SyncTable<UserGroup> = {
  spec: SPEC,
  entity: UserGroup,
  columns: COLUMNS,
  map(raw, context) {
    const record = new RecordReader({ spec: SPEC, columns: COLUMNS }, raw);
    return {
      ...record.common(context),
      name: record.text("name"),
      description: record.text("description"),
      email: record.text("email"),
      managerSysId: record.reference("manager"),
      active: record.boolean("active"),
    };
  },
};
