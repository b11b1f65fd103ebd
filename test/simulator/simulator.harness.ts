import { readFileSync } from "node:fs";
import { join } from "node:path";

import { createSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator";

/** Helpers shared by the simulator specs: a started simulator and fetch with credentials. */

export const ADMIN = { userName: "admin", password: "admin" } as const;

export interface Harness {
  readonly sim: Simulator;
  readonly url: string;
  /** GET a path (with query params) as a user; Basic auth by default. */
  get(path: string, params?: Record<string, string>, auth?: string | null): Promise<Response>;
  /** GET the Table API and parse `result`. */
  list(
    table: string,
    params?: Record<string, string>,
    auth?: string | null,
  ): Promise<{ response: Response; result: Record<string, unknown>[] }>;
}

export function basic(userName: string, password: string): string {
  return `Basic ${Buffer.from(`${userName}:${password}`).toString("base64")}`;
}

export async function startHarness(
  options: SimulatorOptions = {},
  setup: (sim: Simulator) => void = () => undefined,
): Promise<Harness> {
  const sim = createSimulator(options);
  sim.addUser({ ...ADMIN, roles: ["admin"] });
  setup(sim);
  const { url } = await sim.start();
  const adminAuth = basic(ADMIN.userName, ADMIN.password);
  const get = (
    path: string,
    params: Record<string, string> = {},
    auth: string | null = adminAuth,
  ) => {
    const query = new URLSearchParams(params).toString();
    return fetch(`${url}${path}${query ? `?${query}` : ""}`, {
      headers: auth === null ? {} : { Authorization: auth },
    });
  };
  return {
    sim,
    url,
    get,
    async list(table, params = {}, auth = adminAuth) {
      const response = await get(`/api/now/table/${table}`, params, auth);
      const body = (await response.json()) as { result: Record<string, unknown>[] };
      return { response, result: body.result };
    },
  };
}

export function readFixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(join(__dirname, "..", "fixtures", "servicenow", name), "utf8"),
  ) as T;
}

/** Values as stored: a {link, value} or {display_value, value} pair becomes its value. */
export function rawValues(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] =
      typeof value === "object" && value !== null
        ? String((value as { value: string }).value)
        : String(value);
  }
  return out;
}
