import {
  BasicAuthProvider,
  pageRecords,
  type PageRecordsOptions,
  pageSysIds,
  query,
  readValue,
  type RecordPage,
  ServiceNowClient,
  ServiceNowError,
} from "../../src/servicenow";
import { captureLogger } from "./capture.logger";
import { type FakeInstance, startFakeInstance } from "./fake-instance.server";
import {
  type FakeRow,
  type FakeTableOptions,
  makeRows,
  serveTable,
  utcLiteral,
} from "./fake-table.api";

let fake: FakeInstance;
let client: ServiceNowClient;

beforeEach(async () => {
  fake = await startFakeInstance();
  client = new ServiceNowClient({
    instanceUrl: fake.url,
    auth: new BasicAuthProvider("svc.gateway", "secret-password"),
    logger: captureLogger().logger,
    retry: { maxAttempts: 1 },
  });
});

afterEach(async () => {
  await fake.close();
});

const BASE: Omit<PageRecordsOptions, "pageSize"> = {
  table: "incident",
  fields: ["number"],
  cursorField: "sys_updated_on",
  timeZone: "UTC",
};

async function collect(
  table: FakeTableOptions,
  options: Partial<PageRecordsOptions> = {},
): Promise<RecordPage[]> {
  fake.handle(serveTable(table));
  const pages: RecordPage[] = [];
  for await (const page of pageRecords(client, { ...BASE, pageSize: 500, ...options })) {
    pages.push(page);
  }
  return pages;
}

function sysIdsOf(pages: readonly RecordPage[]): string[] {
  return pages.flatMap((page) => page.records.map((record) => readValue(record.sys_id)));
}

/** The rows a reader should get: visible ones, in (sys_updated_on, sys_id) order. */
function expectedIds(rows: readonly FakeRow[], hidden: ReadonlySet<string> = new Set()): string[] {
  return [...rows]
    .filter((row) => !hidden.has(row.sys_id ?? ""))
    .sort((a, b) =>
      `${a.sys_updated_on} ${a.sys_id}` < `${b.sys_updated_on} ${b.sys_id}` ? -1 : 1,
    )
    .map((row) => row.sys_id ?? "");
}

function listRequests() {
  return fake.requestsTo("/api/now/table/").map((request) => request.url.searchParams);
}

describe("pageRecords", () => {
  it("pages 1,500 records sharing one second with pageSize 500, none skipped or repeated", async () => {
    const rows = makeRows(1500, "2024-05-01T10:00:00Z", 1500);

    const pages = await collect({ rows });

    expect(pages.map((page) => page.records.length)).toEqual([500, 500, 500]);
    expect(sysIdsOf(pages)).toEqual(expectedIds(rows));
    expect(pages[1]?.requestedQuery).toBe(
      "sys_updated_on>2024-05-01 10:00:00^NQsys_updated_on=2024-05-01 10:00:00" +
        `^sys_id>${pages[0]?.cursor.sysId}^ORDERBYsys_updated_on^ORDERBYsys_id`,
    );
    expect(pages[2]?.cursor).toEqual({
      timestamp: new Date("2024-05-01T10:00:00Z"),
      sysId: expectedIds(rows)[1499],
    });
    // Three pages, the empty fourth, and the counted probe that ends the walk.
    expect(listRequests()).toHaveLength(5);
  });

  it("asks for exactly the fields and flags the sync needs", async () => {
    await collect({ rows: makeRows(3, "2024-05-01T10:00:00Z") }, { pageSize: 2 });

    const [first, , emptyPage, probe] = listRequests();
    expect(Object.fromEntries(first ?? [])).toEqual({
      sysparm_query: "ORDERBYsys_updated_on^ORDERBYsys_id",
      sysparm_fields: "number,sys_id,sys_updated_on",
      sysparm_limit: "2",
      sysparm_display_value: "false",
      sysparm_exclude_reference_link: "true",
      sysparm_no_count: "true",
    });
    expect(emptyPage?.get("sysparm_offset")).toBeNull();
    expect(probe?.get("sysparm_offset")).toBe("2");
    expect(probe?.get("sysparm_no_count")).toBeNull();
    expect(probe?.get("sysparm_query")).toBe(emptyPage?.get("sysparm_query"));
  });

  it("continues past short pages and past blocks of hidden rows longer than a page", async () => {
    // Three rows per second; every 7th row hidden; a 700-row hidden block; the last 300 hidden.
    const rows = makeRows(3000, "2024-05-01T00:00:00Z", 3);
    const hidden = new Set(
      rows
        .filter(
          (_row, index) => index % 7 === 0 || (index >= 1000 && index < 1700) || index >= 2700,
        )
        .map((row) => row.sys_id ?? ""),
    );

    const pages = await collect({ rows, hidden });

    const ids = sysIdsOf(pages);
    expect(ids).toEqual(expectedIds(rows, hidden));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.every((page) => page.records.length > 0)).toBe(true);
    expect(pages.some((page) => page.records.length < 500)).toBe(true);
    // The hidden block forced probes by offset, each asking for the pre-ACL count.
    const countedProbes = listRequests().filter(
      (params) => params.has("sysparm_offset") && !params.has("sysparm_no_count"),
    );
    expect(countedProbes.length).toBeGreaterThan(0);
  });

  it("finds readable rows behind a first page that is entirely hidden", async () => {
    const rows = makeRows(1200, "2024-05-01T00:00:00Z");
    const hidden = new Set(rows.slice(0, 600).map((row) => row.sys_id ?? ""));

    const pages = await collect({ rows, hidden });

    expect(sysIdsOf(pages)).toEqual(expectedIds(rows, hidden));
    expect(pages[0]?.requestedOffset).toBe(500);
  });

  it("stops after one empty page and one counted probe when the table is empty", async () => {
    const pages = await collect({ rows: [] });

    expect(pages).toEqual([]);
    expect(listRequests().map((params) => params.get("sysparm_offset"))).toEqual([null, "500"]);
  });

  it("resumes strictly after the given cursor", async () => {
    const rows = makeRows(50, "2024-05-01T00:00:00Z", 10);
    const all = expectedIds(rows);
    const resumeAt = rows.find((row) => row.sys_id === all[24]);

    const pages = await collect(
      { rows },
      {
        after: {
          timestamp: new Date(utcLiteral(resumeAt?.sys_updated_on ?? "")),
          sysId: all[24] ?? "",
        },
        pageSize: 10,
      },
    );

    expect(sysIdsOf(pages)).toEqual(all.slice(25));
  });

  it("keeps the scope in every keyset group so out-of-scope rows sharing the second stay out", async () => {
    const rows = [
      ...makeRows(30, "2024-05-01T00:00:00Z", 30, { active: "true" }),
      ...makeRows(30, "2024-05-01T00:00:00Z", 30, { active: "false" }).map((row, index) => ({
        ...row,
        sys_id: `f${String(index).padStart(31, "0")}`,
      })),
    ];

    const pages = await collect(
      { rows },
      { scope: query().where("active", "=", true), fields: ["active"], pageSize: 7 },
    );

    const records = pages.flatMap((page) => page.records);
    expect(records).toHaveLength(30);
    expect(records.every((record) => readValue(record.active) === "true")).toBe(true);
  });

  it("writes cursors in the API user's zone so an instance reading literals there misses nothing", async () => {
    const rows = makeRows(120, "2024-01-15T07:59:00Z", 2);
    const losAngelesWinter = (literal: string) => utcLiteral(literal) + 8 * 3_600_000;

    const right = await collect(
      { rows, readLiteral: losAngelesWinter },
      { timeZone: "America/Los_Angeles", pageSize: 25 },
    );
    expect(sysIdsOf(right)).toEqual(expectedIds(rows));

    // The same walk told the wrong zone loses rows: why the zone must be read from sys_user.
    const wrong = await collect({ rows, readLiteral: losAngelesWinter }, { pageSize: 25 });
    expect(sysIdsOf(wrong).length).toBeLessThan(rows.length);
  });

  it.each(["earlier", "later"] as const)(
    "pages through the fall-back hour exactly once when the instance reads ambiguous times as the %s instant",
    async (reading) => {
      // 2024-11-03 in Los Angeles: 01:00–01:59 happens at 08:xxZ (PDT) and again at 09:xxZ (PST).
      const readLiteral = (literal: string) => {
        const wall = utcLiteral(literal);
        const hour = Number(literal.slice(11, 13));
        if (!literal.startsWith("2024-11-03") || hour < 1) {
          return wall + 7 * 3_600_000;
        }
        if (hour >= 2) {
          return wall + 8 * 3_600_000;
        }
        return wall + (reading === "earlier" ? 7 : 8) * 3_600_000;
      };
      const rows = makeRows(1200, "2024-11-03T07:30:00Z", 1).map((row, index) => ({
        ...row,
        // One row every 9 s, 07:30Z to 10:30Z.
        sys_updated_on: new Date(Date.parse("2024-11-03T07:30:00Z") + index * 9000)
          .toISOString()
          .slice(0, 19)
          .replace("T", " "),
      }));

      const pages = await collect(
        { rows, readLiteral },
        { timeZone: "America/Los_Angeles", pageSize: 100 },
      );

      const ids = sysIdsOf(pages);
      expect(ids).toEqual(expectedIds(rows));
      expect(
        pages.some((page) => page.requestedQuery.startsWith("sys_updated_on>=2024-11-03 00:59:59")),
      ).toBe(true);
    },
  );

  it("rejects INVALID_RESPONSE when ServiceNow ignores the ordering (a misspelt cursor field)", async () => {
    const walk = collect({ rows: makeRows(10, "2024-05-01T00:00:00Z"), ignoreOrder: true });

    await expect(walk).rejects.toThrow(ServiceNowError);
    await expect(walk).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("rejects INVALID_RESPONSE when a record lacks the cursor field", async () => {
    const rows = makeRows(3, "2024-05-01T00:00:00Z").map((row) => ({ ...row, sys_updated_on: "" }));

    await expect(collect({ rows })).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });
});

describe("pageSysIds", () => {
  it("walks every readable sys_id by keyset on sys_id, past hidden blocks", async () => {
    const rows = makeRows(2500, "2024-05-01T00:00:00Z", 100);
    const sorted = rows.map((row) => row.sys_id ?? "").sort();
    const hidden = new Set(sorted.slice(900, 2100));
    fake.handle(serveTable({ rows, hidden }));

    const ids: string[] = [];
    for await (const page of pageSysIds(client, { table: "incident", pageSize: 1000 })) {
      ids.push(...page.sysIds);
      expect(page.cursor).toBe(page.sysIds[page.sysIds.length - 1]);
    }

    expect(ids).toEqual(sorted.filter((id) => !hidden.has(id)));
    const queries = listRequests().map((params) => params.get("sysparm_query"));
    expect(queries[0]).toBe("ORDERBYsys_id");
    expect(queries[1]).toBe(`sys_id>${sorted[899]}^ORDERBYsys_id`);
    expect(listRequests().every((params) => params.get("sysparm_fields") === "sys_id")).toBe(true);
  });
});
