import { syncTableOf } from "../../../src/sync/sync-tables";
import { CONTEXT, typedColumns, withDisplayValues } from "./mapper-fixtures";

/** The sync table derived from the sys_user descriptor. */
const USER_SYNC_TABLE = syncTableOf("sys_user");

const USER = {
  sys_id: "6816f79cc0a8016401c5a33be04be441",
  sys_created_on: "2012-02-18 03:04:49",
  sys_updated_on: "2024-03-10 16:20:05",
  user_name: "admin",
  name: "System Administrator",
  first_name: "System",
  last_name: "Administrator",
  email: "admin@example.com",
  employee_number: "",
  title: "Platform owner",
  department: "221f79b7c6112284005d646b76ab978c",
  manager: "",
  active: "true",
  locked_out: "false",
  time_zone: "Europe/Paris",
  web_service_access_only: "false",
};

describe("USER_SYNC_TABLE", () => {
  it("maps a user field by field when display values are off", () => {
    const row = USER_SYNC_TABLE.map(USER, CONTEXT);

    expect(row).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: USER.sys_id,
      sysCreatedOn: new Date("2012-02-18T03:04:49Z"),
      sysUpdatedOn: new Date("2024-03-10T16:20:05Z"),
      userName: "admin",
      name: "System Administrator",
      firstName: "System",
      lastName: "Administrator",
      email: "admin@example.com",
      employeeNumber: null,
      title: "Platform owner",
      departmentSysId: "221f79b7c6112284005d646b76ab978c",
      managerSysId: null,
      active: true,
      lockedOut: false,
      timeZone: "Europe/Paris",
      // The one spec field without a column.
      attributes: { web_service_access_only: "false" },
    });
  });

  it("maps the same columns and keeps the department name when display values are all", () => {
    const paired = withDisplayValues(USER, {
      sys_created_on: "2012-02-18 04:04:49",
      sys_updated_on: "2024-03-10 17:20:05",
      department: "IT",
      time_zone: "Europe/Paris",
      active: "true",
    });

    const row = USER_SYNC_TABLE.map(paired, CONTEXT);

    expect(typedColumns(row)).toEqual(typedColumns(USER_SYNC_TABLE.map(USER, CONTEXT)));
    expect(row.attributes).toEqual({
      web_service_access_only: "false",
      "department.display": "IT",
    });
  });

  it("maps an empty time zone to null when the user follows the instance default", () => {
    const row = USER_SYNC_TABLE.map({ ...USER, time_zone: "" }, CONTEXT);

    expect(row.timeZone).toBeNull();
  });
});
