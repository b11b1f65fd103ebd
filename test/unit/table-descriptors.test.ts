import { SERVICENOW_TABLES } from "../../src/servicenow/servicenow-tables";
import type { TableDescriptor } from "../../src/table-model/table.descriptor";
import { indexesOf } from "../../src/table-model/table-fields";
import { TABLES } from "../../src/tables";

const NAMES = new Set(TABLES.map((table) => table.name));
const BASE_PROPERTIES = ["id", "integrationId", "attributes", "syncedAt"];

describe("table descriptors", () => {
  it.each(TABLES.map((table) => [table.name, table] as const))(
    "%s names each property once, and its indexes, relations and search name real columns",
    (_name, table) => {
      const properties = table.columns.map((column) => column.property);
      expect(new Set(properties).size).toBe(properties.length);
      const known = new Set([...properties, ...BASE_PROPERTIES]);
      for (const index of table.indexes ?? []) {
        expect(index.filter((property) => !known.has(property))).toEqual([]);
      }
      for (const property of table.list?.search?.properties ?? []) {
        expect(known.has(property)).toBe(true);
      }
      for (const relation of table.relations ?? []) {
        if (relation.kind === "toMany") {
          const target = TABLES.find((candidate) => candidate.name === relation.table);
          expect(target?.columns.map((column) => column.property)).toContain(relation.foreignKey);
        }
      }
      for (const column of table.columns) {
        if (column.relation !== undefined) {
          expect(NAMES.has(column.references ?? "")).toBe(true);
        }
      }
    },
  );

  it("lists groups first (users reference them) and journal entries last (they belong to records)", () => {
    const names = TABLES.map((table) => table.name);
    expect(names[0]).toBe("sys_user_group");
    expect(names.at(-1)).toBe("sys_journal_field");
  });

  it("derives the connector's field lists from the descriptors", () => {
    expect(SERVICENOW_TABLES.incident?.fields).toContain("reopen_count");
    expect(SERVICENOW_TABLES.sys_user?.fields).toContain("web_service_access_only");
    expect(SERVICENOW_TABLES.sysapproval_approver?.references).toEqual({
      approver: "sys_user",
      document_id: "change_request",
      sysapproval: "task",
    });
    expect(SERVICENOW_TABLES.sys_journal_field?.requiredFields).toEqual([
      "sys_id",
      "sys_created_on",
      "element_id",
      "name",
      "element",
    ]);
  });

  it("indexes a to-many relation's foreign key unless an index already holds it", () => {
    const incident = TABLES.find((table) => table.name === "incident") as TableDescriptor;
    const parent: TableDescriptor = {
      ...incident,
      name: "u_parent",
      relations: [
        {
          kind: "toMany",
          name: "children",
          table: "incident",
          foreignKey: "openedBySysId",
          orderBy: { property: "openedAt", direction: "ASC" },
        },
        {
          kind: "toMany",
          name: "caused",
          table: "incident",
          foreignKey: "causedBySysId",
          orderBy: { property: "openedAt", direction: "ASC" },
        },
      ],
    };
    const indexes = indexesOf(incident, [...TABLES, parent]);
    expect(indexes).toContainEqual(["openedBySysId"]);
    expect(indexes.filter((index) => index.includes("causedBySysId"))).toEqual([["causedBySysId"]]);
    expect(indexesOf(incident, TABLES)).toEqual([...(incident.indexes ?? []), ["problemSysId"]]);
  });
});
