import { SERVICENOW_TABLES } from "../../../src/servicenow";
import { MappingError } from "../../../src/sync/mappers/mapping.error";
import { type MappedTable, RecordReader } from "../../../src/sync/mappers/record.reader";

/** A table whose columns leave out even sys_id, to see what attributes() does on its own. */
const BARE: MappedTable = { spec: SERVICENOW_TABLES.sys_user_group, columns: {} };
const SYS_ID = "8a4dde73c6112278017a6a4baf547aa7";

describe("RecordReader", () => {
  it("never puts sys_id in attributes when the table's columns do not list it", () => {
    const reader = new RecordReader(BARE, {
      sys_id: { display_value: SYS_ID, value: SYS_ID },
      name: "Software",
    });

    expect(reader.attributes()).toEqual({ name: "Software" });
  });

  it("keeps .display for references, choices and lists but not for dates, durations, booleans or numbers", () => {
    const reader = new RecordReader(BARE, {
      sys_id: SYS_ID,
      u_owner: { display_value: "Beth Anglin", value: "46d44a23a9fe19810012d100cca80666" },
      u_tier: { display_value: "Gold", value: "2" },
      u_watchers: { display_value: "Beth Anglin, Fred Luddy", value: "46d4,5137" },
      u_count: { display_value: "1,234", value: "1234" },
      u_flag: { display_value: "wahr", value: "true" },
      u_due: { display_value: "02/03/2024 10:00:00", value: "2024-03-02 09:00:00" },
      u_day: { display_value: "02/03/2024", value: "2024-03-02" },
      u_effort: { display_value: "2 Hours", value: "1970-01-01 02:00:00" },
      u_deadline: { display_value: "UNKNOWN", value: "" },
      u_reason: { display_value: null, value: "" },
      u_same: { display_value: "Software", value: "Software" },
    });

    const displays = Object.entries(reader.attributes()).filter(([key]) =>
      key.endsWith(".display"),
    );

    expect(Object.fromEntries(displays)).toEqual({
      "u_owner.display": "Beth Anglin",
      "u_tier.display": "Gold",
      "u_watchers.display": "Beth Anglin, Fred Luddy",
    });
  });

  it("keeps a field named __proto__ as a plain attribute when a payload carries one", () => {
    const record = JSON.parse(`{"sys_id": "${SYS_ID}", "__proto__": "x"}`) as Record<
      string,
      string
    >;

    const attributes = new RecordReader(BARE, record).attributes();

    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(attributes, "__proto__")).toBe(true);
  });

  it.each([
    ["longer than 32 characters", "0123456789abcdef0123456789abcdef0"],
    ["carrying a comma", "0123,4567"],
  ])("rejects a sys_id %s when reading a record", (_case, sysId) => {
    expect(() => new RecordReader(BARE, { sys_id: sysId })).toThrow(MappingError);
  });

  it.each([
    ["an integer", (reader: RecordReader) => reader.int("u_secret")],
    ["a boolean", (reader: RecordReader) => reader.boolean("u_secret")],
    ["a date-time", (reader: RecordReader) => reader.dateTime("u_secret")],
  ])("names the field but never quotes its value when it does not read as %s", (_kind, read) => {
    const reader = new RecordReader(BARE, { sys_id: SYS_ID, u_secret: "Patient 4711 HIV+" });

    let thrown: unknown;
    try {
      read(reader);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(MappingError);
    const error = thrown as MappingError;
    expect(error.field).toBe("u_secret");
    expect(error.message).toContain("u_secret");
    expect(JSON.stringify({ message: error.message, cause: error.cause })).not.toMatch(
      /Patient|4711/,
    );
  });
});
