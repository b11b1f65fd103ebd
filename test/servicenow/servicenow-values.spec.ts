import { readFileSync } from "node:fs";

import {
  type RawRecord,
  readBoolean,
  readDateTime,
  readDisplayValue,
  readInt,
  readOptionalValue,
  readReference,
  readValue,
  ServiceNowError,
} from "../../src/servicenow";

function fixtureRecord(name: string): RawRecord {
  const body = JSON.parse(readFileSync(`${__dirname}/../fixtures/servicenow/${name}`, "utf8")) as {
    result: RawRecord | RawRecord[];
  };
  const record = Array.isArray(body.result) ? body.result[0] : body.result;
  if (record === undefined) {
    throw new Error(`${name} has no record`);
  }
  return record;
}

describe("value readers on a display_value=false record", () => {
  const incident = fixtureRecord("incident.single.display_value_false.json");

  it("reads strings, references and empty references", () => {
    expect(readValue(incident.number)).toBe("INC0000046");
    expect(readReference(incident.caller_id)).toBe("46c6f9efa9fe198101ddf5eed9adf6e7");
    expect(readReference(incident.assigned_to)).toBeNull();
    expect(readValue(incident.caller_id)).toBe("46c6f9efa9fe198101ddf5eed9adf6e7");
    expect(readOptionalValue(incident.close_code)).toBeNull();
    expect(readValue(incident.no_such_field)).toBe("");
  });

  it("has no display value for a {link, value} reference but keeps plain strings", () => {
    expect(readDisplayValue(incident.caller_id)).toBeNull();
    expect(readDisplayValue(incident.category)).toBe("software");
    expect(readDisplayValue(incident.description)).toBeNull();
  });

  it("reads UTC date-times, integers and booleans", () => {
    expect(readDateTime(incident.sys_updated_on)).toEqual(new Date("2015-11-01T22:37:27Z"));
    expect(readDateTime(incident.closed_at)).toBeNull();
    expect(readInt(incident.reassignment_count)).toBe(1);
    expect(readInt(incident.reopen_count)).toBeNull();
    expect(readInt(incident.priority)).toBe(3);
    expect(readBoolean(incident.active)).toBe(true);
    expect(readBoolean(incident.knowledge)).toBe(false);
  });

  it("reads a bare sys_id (sysparm_exclude_reference_link=true) as the reference", () => {
    expect(readReference("46c6f9efa9fe198101ddf5eed9adf6e7")).toBe(
      "46c6f9efa9fe198101ddf5eed9adf6e7",
    );
  });
});

describe("value readers on a display_value=all record", () => {
  const change = fixtureRecord("change_request.list.display_value_all.json");

  it("reads the stored value and the label separately", () => {
    expect(readValue(change.state)).toBe("-5");
    expect(readDisplayValue(change.state)).toBe("New");
    expect(readInt(change.state)).toBe(-5);
    expect(readReference(change.assigned_to)).toBe("681b365ec0a80164000fb0b05854a0cd");
    expect(readDisplayValue(change.assigned_to)).toBe("ITIL User");
  });

  it("treats empty choices (display_value null) and empty references as null", () => {
    expect(readDisplayValue(change.reason)).toBeNull();
    expect(readOptionalValue(change.reason)).toBeNull();
    expect(readReference(change.watch_list)).toBeNull();
  });

  it("reads the UTC value of a date-time, not the display in the user's zone", () => {
    expect(readDateTime(change.sys_updated_on)).toEqual(new Date("2020-09-24T12:42:23Z"));
    expect(readDisplayValue(change.sys_updated_on)).toBe("2020-09-24 14:42:23");
    // An empty due date shows "UNKNOWN" but its value is empty.
    expect(readDisplayValue(change.sla_due)).toBe("UNKNOWN");
    expect(readDateTime(change.sla_due)).toBeNull();
    expect(readBoolean(change.active)).toBe(true);
  });
});

describe("value readers on garbage", () => {
  it.each([
    ["readInt", () => readInt("3 - Low")],
    ["readInt", () => readInt("1.5")],
    ["readBoolean", () => readBoolean("yes")],
    ["readDateTime", () => readDateTime("UNKNOWN")],
  ])("rejects with INVALID_RESPONSE in %s when the value is not of the type", (_name, read) => {
    expect(read).toThrow(ServiceNowError);
  });
});
