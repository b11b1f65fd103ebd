import { USER_GROUP_TABLE } from "../../../src/modules/user-groups/user-group.table";
import { MappingError } from "../../../src/sync/mappers/mapping.error";
import { tableMapperOf } from "../../../src/sync/mappers/record.mapper";
import { CONTEXT } from "./mapper-fixtures";

/** The mapper remembers each field's role by its position in the last record; these vary it. */
const GROUP = {
  sys_id: "8a4dde73c6112278017a6a4baf547aa7",
  sys_created_on: "2011-09-30 16:30:11",
  sys_updated_on: "2023-11-05 08:00:00",
  name: "Software",
  manager: { display_value: "Beth Anglin", value: "46d44a23a9fe19810012d100cca80666" },
  u_cost_center: "CC-1042",
  u_owner: { display_value: "Fred Luddy", value: "5137153cc611227c000bbd1bd8cd2005" },
};

describe("tableMapperOf's per-table plan", () => {
  it("maps records whose fields come in a different order each time to the same columns, attributes in each record's order", () => {
    const mapper = tableMapperOf(USER_GROUP_TABLE);
    const reordered = {
      u_owner: GROUP.u_owner,
      name: GROUP.name,
      u_cost_center: GROUP.u_cost_center,
      manager: GROUP.manager,
      sys_updated_on: GROUP.sys_updated_on,
      sys_id: GROUP.sys_id,
      sys_created_on: GROUP.sys_created_on,
    };

    const first = mapper.map(GROUP, CONTEXT);
    const second = mapper.map(reordered, CONTEXT);
    const third = mapper.map(GROUP, CONTEXT);

    expect(Object.keys(first.attributes)).toEqual([
      "manager.display",
      "u_cost_center",
      "u_owner",
      "u_owner.display",
    ]);
    expect(Object.keys(second.attributes)).toEqual([
      "u_owner",
      "u_owner.display",
      "u_cost_center",
      "manager.display",
    ]);
    expect(second).toEqual(first);
    expect(JSON.stringify(third)).toBe(JSON.stringify(first));
    expect(first).toMatchObject({ name: "Software", managerSysId: GROUP.manager.value });
  });

  it("keeps a field's first place and last value when a payload field is named like a display key", () => {
    const mapper = tableMapperOf(USER_GROUP_TABLE);

    const row = mapper.map({ ...GROUP, "u_owner.display": "raw" }, CONTEXT);

    expect(Object.keys(row.attributes)).toEqual([
      "manager.display",
      "u_cost_center",
      "u_owner",
      "u_owner.display",
    ]);
    expect(row.attributes["u_owner.display"]).toBe("raw");
  });

  it("rejects a malformed field at a position an earlier record had well-formed", () => {
    const mapper = tableMapperOf(USER_GROUP_TABLE);
    mapper.map(GROUP, CONTEXT);

    expect(() =>
      mapper.map({ ...GROUP, u_owner: { display_value: "x" } } as never, CONTEXT),
    ).toThrow(MappingError);
    expect(() => mapper.map({ ...GROUP, manager: 7 } as never, CONTEXT)).toThrow(
      /manager is neither a string nor a \{value\} object/,
    );
  });

  it("keeps a payload field named __proto__ as an own attribute and reads no column through it", () => {
    const mapper = tableMapperOf(USER_GROUP_TABLE);
    mapper.map(GROUP, CONTEXT);
    const record = JSON.parse(
      `{"sys_id": "${GROUP.sys_id}", "sys_created_on": "${GROUP.sys_created_on}",` +
        ` "sys_updated_on": "${GROUP.sys_updated_on}",` +
        ` "__proto__": {"display_value": "Injected", "value": "x"}}`,
    ) as Record<string, string>;

    const row = mapper.map(record, CONTEXT);

    expect(row.name).toBeNull();
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(row.attributes, "__proto__")).toBe(true);
    expect(Object.entries(row.attributes)).toEqual([
      ["__proto__", "x"],
      ["__proto__.display", "Injected"],
    ]);
  });
});
