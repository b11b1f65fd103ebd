import { syncTableOf } from "../../../src/sync/sync-tables";
import { CONTEXT, withDisplayValues } from "./mapper-fixtures";

/** The sync table derived from the sysapproval_approver descriptor. */
const APPROVAL_SYNC_TABLE = syncTableOf("sysapproval_approver");

const CHANGE = "a9e9c33dc61122760072455df62663d2";
const OTHER_TASK = "b0e9c33dc61122760072455df62663d3";

const APPROVAL = {
  sys_id: "e4e1b3a8c611227a0142cf4ecd4a4c0e",
  sys_created_on: "2020-03-20 22:17:10",
  sys_updated_on: "2020-03-20 22:23:51",
  approver: "5137153cc611227c000bbd1bd8cd2007",
  state: "approved",
  sysapproval: CHANGE,
  document_id: CHANGE,
  source_table: "change_request",
  comments: "",
};

describe("APPROVAL_SYNC_TABLE", () => {
  it("maps an approval field by field when display values are off", () => {
    expect(APPROVAL_SYNC_TABLE.map(APPROVAL, CONTEXT)).toEqual({
      integrationId: CONTEXT.integrationId,
      syncedAt: CONTEXT.syncedAt,
      sysId: APPROVAL.sys_id,
      sysCreatedOn: new Date("2020-03-20T22:17:10Z"),
      sysUpdatedOn: new Date("2020-03-20T22:23:51Z"),
      approverSysId: "5137153cc611227c000bbd1bd8cd2007",
      state: "approved",
      documentSysId: CHANGE,
      sourceTable: "change_request",
      comments: null,
      attributes: {},
    });
  });

  it("maps documentSysId from document_id when both document_id and sysapproval are set", () => {
    const row = APPROVAL_SYNC_TABLE.map({ ...APPROVAL, sysapproval: OTHER_TASK }, CONTEXT);

    expect(row.documentSysId).toBe(CHANGE);
  });

  it("maps documentSysId from sysapproval when document_id is empty, in both shapes", () => {
    const record = { ...APPROVAL, document_id: "", sysapproval: OTHER_TASK };

    expect(APPROVAL_SYNC_TABLE.map(record, CONTEXT).documentSysId).toBe(OTHER_TASK);
    const paired = withDisplayValues(record, { sysapproval: "CHG0000002", document_id: "" });
    expect(APPROVAL_SYNC_TABLE.map(paired, CONTEXT).documentSysId).toBe(OTHER_TASK);
  });

  it("maps documentSysId to null when neither document_id nor sysapproval is set", () => {
    const row = APPROVAL_SYNC_TABLE.map({ ...APPROVAL, document_id: "", sysapproval: "" }, CONTEXT);

    expect(row.documentSysId).toBeNull();
  });

  it("keeps the approver's name and the state label when display values are all", () => {
    const paired = withDisplayValues(APPROVAL, {
      approver: "David Loo",
      state: "Approved",
      sysapproval: "CHG0000001",
      document_id: "CHG0000001",
      source_table: "change_request",
    });

    expect(APPROVAL_SYNC_TABLE.map(paired, CONTEXT).attributes).toEqual({
      "approver.display": "David Loo",
      "state.display": "Approved",
      "sysapproval.display": "CHG0000001",
      "document_id.display": "CHG0000001",
    });
  });

  it("scopes the query to approvals of change requests", () => {
    expect(APPROVAL_SYNC_TABLE.scope?.(() => new Set())?.toString()).toBe(
      "source_table=change_request",
    );
  });
});
