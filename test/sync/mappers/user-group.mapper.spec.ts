import { syncTableOf } from "../../../src/sync/sync-tables";
import { CONTEXT, typedColumns, withDisplayValues } from "./mapper-fixtures";

/** The sync table derived from the sys_user_group descriptor. */
const USER_GROUP_SYNC_TABLE = syncTableOf("sys_user_group");

const GROUP = {
  sys_id: "8a4dde73c6112278017a6a4baf547aa7",
  sys_created_on: "2011-09-30 16:30:11",
  sys_updated_on: "2023-11-05 08:00:00",
  name: "Software",
  description: "",
  manager: "46d44a23a9fe19810012d100cca80666",
  email: "software@example.com",
  active: "false",
  u_cost_center: "CC-1042",
};

describe("USER_GROUP_SYNC_TABLE", () => {
  it("maps a group field by field and keeps a custom field raw when display values are off", () => {
    expect(USER_GROUP_SYNC_TABLE.map(GROUP, CONTEXT)).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: GROUP.sys_id,
      sysCreatedOn: new Date("2011-09-30T16:30:11Z"),
      sysUpdatedOn: new Date("2023-11-05T08:00:00Z"),
      name: "Software",
      description: null,
      email: "software@example.com",
      managerSysId: "46d44a23a9fe19810012d100cca80666",
      active: false,
      attributes: { u_cost_center: "CC-1042" },
    });
  });

  it("maps the same columns and keeps the manager's name when display values are all", () => {
    const paired = withDisplayValues(GROUP, { manager: "Beth Anglin", active: "false" });

    const row = USER_GROUP_SYNC_TABLE.map(paired, CONTEXT);

    expect(typedColumns(row)).toEqual(typedColumns(USER_GROUP_SYNC_TABLE.map(GROUP, CONTEXT)));
    expect(row.attributes).toEqual({ u_cost_center: "CC-1042", "manager.display": "Beth Anglin" });
  });
});
