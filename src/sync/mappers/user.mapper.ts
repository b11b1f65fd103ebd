import { User } from "../../modules/users/user.entity";
import { SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.sys_user;

// web_service_access_only has no column: it lives in attributes (preflight reads it there).
const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  sys_updated_on: "sysUpdatedOn",
  user_name: "userName",
  name: "name",
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  employee_number: "employeeNumber",
  title: "title",
  department: "departmentSysId",
  manager: "managerSysId",
  active: "active",
  locked_out: "lockedOut",
  time_zone: "timeZone",
} as const satisfies SyncTable<User>["columns"];

/** `sys_user` → `User`. */
export const USER_SYNC_TABLE: SyncTable<User> = {
  spec: SPEC,
  entity: User,
  columns: COLUMNS,
  map(raw, context) {
    const record = new RecordReader({ spec: SPEC, columns: COLUMNS }, raw);
    return {
      ...record.common(context),
      userName: record.text("user_name"),
      name: record.text("name"),
      firstName: record.text("first_name"),
      lastName: record.text("last_name"),
      email: record.text("email"),
      employeeNumber: record.text("employee_number"),
      title: record.text("title"),
      departmentSysId: record.reference("department"),
      managerSysId: record.reference("manager"),
      active: record.boolean("active"),
      lockedOut: record.boolean("locked_out"),
      // Empty means the instance's default zone.
      timeZone: record.text("time_zone"),
    };
  },
};
