import {
  EncodedQueryError,
  InvalidTimeZoneError,
  keysetQuery,
  query,
  sysIdKeysetQuery,
} from "../../src/servicenow";

const ORDER = "ORDERBYsys_updated_on^ORDERBYsys_id";

function rejection(build: () => unknown): EncodedQueryError {
  try {
    build();
  } catch (error) {
    if (error instanceof EncodedQueryError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected the builder to refuse");
}

describe("query builder", () => {
  it("encodes AND, IN and ordering", () => {
    const encoded = query()
      .where("state", "=", "6")
      .andIn("name", ["incident", "change_request"])
      .orderBy("sys_updated_on")
      .orderBy("sys_id")
      .toString();

    expect(encoded).toBe(
      "state=6^nameINincident,change_request^ORDERBYsys_updated_on^ORDERBYsys_id",
    );
  });

  it("encodes OR, new queries, emptiness, numbers, booleans and dot-walked fields", () => {
    const encoded = query()
      .where("priority", "<=", 2)
      .or("caller_id.vip", "=", true)
      .newQuery()
      .isEmpty("assigned_to")
      .where("short_description", "LIKE", "VPN down")
      .orderByDesc("opened_at")
      .toString();

    expect(encoded).toBe(
      "priority<=2^ORcaller_id.vip=true^NQassigned_toISEMPTY^short_descriptionLIKEVPN down^ORDERBYDESCopened_at",
    );
  });

  it("writes Date values as wall-clock literals in the query's time zone", () => {
    const at = new Date("2024-01-15T20:00:00.750Z");

    expect(query().where("sys_updated_on", ">", at).toString()).toBe(
      "sys_updated_on>2024-01-15 20:00:00",
    );
    expect(
      query({ timeZone: "America/Los_Angeles" }).where("sys_updated_on", ">", at).toString(),
    ).toBe("sys_updated_on>2024-01-15 12:00:00");
  });

  it.each([
    ["a ^ that would add a term", "x^ORactive=false"],
    ["a ^NQ that would add a group", "x^NQactive=true"],
    ["a line feed", "two\nlines"],
    ["a carriage return", "two\rlines"],
    ["a javascript: value the instance would evaluate", "javascript:gs.getUserID()"],
  ])("rejects a value containing %s", (_what, value) => {
    const error = rejection(() => query().where("short_description", "=", value));

    expect(error.code).toBe("INVALID_VALUE");
  });

  it("rejects an IN value containing a comma, which would split it in two", () => {
    expect(rejection(() => query().andIn("number", ["INC1", "INC2,INC3"])).code).toBe(
      "INVALID_VALUE",
    );
    expect(rejection(() => query().andIn("number", [])).code).toBe("INVALID_VALUE");
  });

  it.each(["state^ORactive", "short description", "", "state=6", "ORDERBY sys_id"])(
    "rejects the field name %j",
    (field) => {
      expect(rejection(() => query().where(field, "=", "1")).code).toBe("INVALID_FIELD");
    },
  );

  it("rejects an OR or a new query with nothing before it", () => {
    expect(rejection(() => query().or("state", "=", "1")).code).toBe("INVALID_QUERY");
    expect(rejection(() => query().newQuery()).code).toBe("INVALID_QUERY");
  });

  it("rejects invalid dates, non-finite numbers and unknown time zones", () => {
    expect(rejection(() => query().where("opened_at", ">", new Date("nope"))).code).toBe(
      "INVALID_VALUE",
    );
    expect(rejection(() => query().where("priority", "=", Number.NaN)).code).toBe("INVALID_VALUE");
    expect(() => query({ timeZone: "Mars/Olympus_Mons" })).toThrow(InvalidTimeZoneError);
  });
});

describe("keysetQuery", () => {
  const after = {
    timestamp: new Date("2024-01-15T20:00:00Z"),
    sysId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  };

  it("asks for the first page with the scope and both orderings", () => {
    expect(keysetQuery({ cursorField: "sys_updated_on", timeZone: "UTC" })).toEqual({
      encodedQuery: ORDER,
      exact: true,
    });
    expect(
      keysetQuery({
        cursorField: "sys_updated_on",
        timeZone: "UTC",
        scope: query().where("active", "=", true),
      }).encodedQuery,
    ).toBe(`active=true^${ORDER}`);
  });

  it("continues after (T, sys_id) with the scope repeated in each group", () => {
    const { encodedQuery, exact } = keysetQuery({
      cursorField: "sys_updated_on",
      after,
      timeZone: "UTC",
      scope: query().where("active", "=", true),
    });

    expect(exact).toBe(true);
    expect(encodedQuery).toBe(
      "active=true^sys_updated_on>2024-01-15 20:00:00" +
        "^NQactive=true^sys_updated_on=2024-01-15 20:00:00^sys_id>0a1b2c3d4e5f60718293a4b5c6d7e8f9" +
        `^${ORDER}`,
    );
  });

  it("writes the cursor in the API user's time zone", () => {
    const { encodedQuery } = keysetQuery({
      cursorField: "sys_created_on",
      after,
      timeZone: "America/Los_Angeles",
    });

    expect(encodedQuery).toBe(
      "sys_created_on>2024-01-15 12:00:00^NQsys_created_on=2024-01-15 12:00:00" +
        "^sys_id>0a1b2c3d4e5f60718293a4b5c6d7e8f9^ORDERBYsys_created_on^ORDERBYsys_id",
    );
  });

  it("distributes a scope with several groups over both keyset groups", () => {
    const scope = query()
      .where("name", "=", "incident")
      .newQuery()
      .where("name", "=", "change_request");
    const { encodedQuery } = keysetQuery({
      cursorField: "sys_updated_on",
      after,
      timeZone: "UTC",
      scope,
    });

    expect(encodedQuery.split("^NQ")).toEqual([
      "name=incident^sys_updated_on>2024-01-15 20:00:00",
      `name=incident^sys_updated_on=2024-01-15 20:00:00^sys_id>${after.sysId}`,
      "name=change_request^sys_updated_on>2024-01-15 20:00:00",
      `name=change_request^sys_updated_on=2024-01-15 20:00:00^sys_id>${after.sysId}^${ORDER}`,
    ]);
  });

  it("falls back to an inexact >= bound before the repeated hour when the cursor is ambiguous", () => {
    // 08:30Z on 2024-11-03 is 01:30 PDT; 01:30 happens again at 09:30Z (PST).
    const ambiguous = { timestamp: new Date("2024-11-03T08:30:00Z"), sysId: after.sysId };

    expect(
      keysetQuery({
        cursorField: "sys_updated_on",
        after: ambiguous,
        timeZone: "America/Los_Angeles",
      }),
    ).toEqual({ encodedQuery: `sys_updated_on>=2024-11-03 00:59:59^${ORDER}`, exact: false });
  });

  it("rejects a scope that carries its own ordering and a sys_id that is not one", () => {
    expect(
      rejection(() =>
        keysetQuery({
          cursorField: "sys_updated_on",
          timeZone: "UTC",
          scope: query().orderBy("number"),
        }),
      ).code,
    ).toBe("INVALID_QUERY");
    expect(
      rejection(() =>
        keysetQuery({
          cursorField: "sys_updated_on",
          timeZone: "UTC",
          after: { timestamp: after.timestamp, sysId: "x^ORactive=true" },
        }),
      ).code,
    ).toBe("INVALID_VALUE");
    expect(
      rejection(() => keysetQuery({ cursorField: "sys_updated_on^", timeZone: "UTC" })).code,
    ).toBe("INVALID_FIELD");
  });
});

describe("sysIdKeysetQuery", () => {
  it("walks sys_ids by keyset, never by offset", () => {
    expect(sysIdKeysetQuery({})).toBe("ORDERBYsys_id");
    expect(sysIdKeysetQuery({ after: "abc123", scope: query().where("active", "=", true) })).toBe(
      "active=true^sys_id>abc123^ORDERBYsys_id",
    );
  });
});
