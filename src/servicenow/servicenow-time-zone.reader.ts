import { query } from "./encoded-query.builder";
import type { ServiceNowClient } from "./servicenow.client";
import { isServiceNowError, ServiceNowError } from "./servicenow.errors";
import type { RawRecord } from "./servicenow.types";
import { queryLowerBound } from "./servicenow-datetime";
import { readDateTime, readOptionalValue, readValue } from "./servicenow-values";

/**
 * Which time zone ServiceNow reads query date literals in: the API user's `sys_user.time_zone`,
 * or the instance default when that is empty. Preflight reports it; the pager needs it.
 */

export interface UserTimeZone {
  /** IANA-style name from sys_user.time_zone; null means "the instance default". */
  readonly timeZone: string | null;
  readonly userName: string;
  readonly userSysId: string;
}

export interface TimeZoneReadOptions {
  readonly signal?: AbortSignal;
}

const USER_FIELDS = ["sys_id", "user_name", "time_zone"];

/** The time zone of the user with this `user_name` (validated; never spliced raw). */
export async function fetchUserTimeZone(
  client: ServiceNowClient,
  userName: string,
  options: TimeZoneReadOptions = {},
): Promise<UserTimeZone> {
  const page = await client.getRecords("sys_user", {
    query: query().where("user_name", "=", userName),
    fields: USER_FIELDS,
    limit: 2,
    displayValue: false,
    excludeReferenceLink: true,
    noCount: true,
    signal: options.signal,
  });
  // user_name is unique; checking it also guards against a silently ignored query term.
  const user = page.records.find((record) => readValue(record.user_name) === userName);
  if (user === undefined) {
    throw new ServiceNowError({
      code: "NOT_FOUND",
      retryable: false,
      message: `No sys_user with user_name "${userName.slice(0, 80)}" is readable by the integration user`,
    });
  }
  return toUserTimeZone(user);
}

export interface CurrentUserTimeZoneOptions extends TimeZoneReadOptions {
  /** Pass it when known (basic auth, password grant): one plain query then. */
  readonly userName?: string;
}

/**
 * The API user's own time zone when its user name is unknown (authorization-code OAuth).
 *
 * First `sys_user?sysparm_query=user_name=javascript:gs.getUserName()`: the Table API, which a
 * `table_read`-scoped client may call. If that is refused or does not come back as exactly one
 * user (scripts in queries can be disabled, and an ignored term returns everyone), fall back to
 * `/api/now/ui/user/current_user` (an internal UI API; may be outside a restricted scope) for the
 * user name, then read sys_user by name.
 */
export async function fetchCurrentUserTimeZone(
  client: ServiceNowClient,
  options: CurrentUserTimeZoneOptions = {},
): Promise<UserTimeZone> {
  if (options.userName !== undefined) {
    return fetchUserTimeZone(client, options.userName, options);
  }
  try {
    const page = await client.getRecords("sys_user", {
      query: query().whereCurrentUserName("user_name"),
      fields: USER_FIELDS,
      limit: 2,
      displayValue: false,
      excludeReferenceLink: true,
      noCount: true,
      signal: options.signal,
    });
    const [only, ...others] = page.records;
    if (only !== undefined && others.length === 0) {
      return toUserTimeZone(only);
    }
  } catch (error) {
    if (!isRefusal(error)) {
      throw error;
    }
  }
  const response = await client.request("/api/now/ui/user/current_user", {
    signal: options.signal,
  });
  const userName = currentUserName(response.body);
  if (userName === undefined) {
    throw new ServiceNowError({
      code: "INVALID_RESPONSE",
      retryable: false,
      status: response.status,
      message: "ServiceNow's current_user answer has no user_name",
    });
  }
  return fetchUserTimeZone(client, userName, options);
}

/**
 * `glide.sys.default.tz` from sys_properties: the zone users without their own get. Null when
 * unset or not readable (often admin-only); ServiceNow then falls back to its system zone.
 */
export async function fetchInstanceDefaultTimeZone(
  client: ServiceNowClient,
  options: TimeZoneReadOptions = {},
): Promise<string | null> {
  try {
    const page = await client.getRecords("sys_properties", {
      query: query().where("name", "=", "glide.sys.default.tz"),
      fields: ["name", "value"],
      limit: 1,
      noCount: true,
      signal: options.signal,
    });
    const property = page.records.find(
      (record) => readValue(record.name) === "glide.sys.default.tz",
    );
    return property === undefined ? null : readOptionalValue(property.value);
  } catch (error) {
    if (isRefusal(error)) {
      return null;
    }
    throw error;
  }
}

export interface QueryTimeZoneCheckOptions extends TimeZoneReadOptions {
  readonly table: string;
  readonly timeZone: string;
  readonly cursorField?: string;
}

/**
 * Asks the instance itself whether it reads query literals in `timeZone`: takes the newest record
 * (its value comes back in UTC), then queries `sys_id=X^field=<that instant written in timeZone>`.
 * True: it does; false: it does not (the pager would skip or repeat rows); null: undecidable
 * (empty table, or the sample falls in a repeated hour). A zone that matches UTC at that instant
 * passes trivially, so this is evidence, not proof.
 */
export async function checkQueryTimeZone(
  client: ServiceNowClient,
  options: QueryTimeZoneCheckOptions,
): Promise<boolean | null> {
  const field = options.cursorField ?? "sys_updated_on";
  const sample = await client.getRecords(options.table, {
    query: query().orderByDesc(field),
    fields: ["sys_id", field],
    limit: 1,
    displayValue: false,
    excludeReferenceLink: true,
    noCount: true,
    signal: options.signal,
  });
  const record = sample.records[0];
  const at = record === undefined ? null : readDateTime(record[field]);
  if (record === undefined || at === null) {
    return null;
  }
  if (!queryLowerBound(at, options.timeZone).exact) {
    return null;
  }
  const sysId = readValue(record.sys_id);
  const match = await client.getRecords(options.table, {
    query: query({ timeZone: options.timeZone }).where("sys_id", "=", sysId).where(field, "=", at),
    fields: ["sys_id"],
    limit: 1,
    noCount: true,
    signal: options.signal,
  });
  return match.records.some((found) => readValue(found.sys_id) === sysId);
}

function toUserTimeZone(user: RawRecord): UserTimeZone {
  return {
    timeZone: readOptionalValue(user.time_zone),
    userName: readValue(user.user_name),
    userSysId: readValue(user.sys_id),
  };
}

function currentUserName(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("result" in body)) {
    return undefined;
  }
  const { result } = body;
  if (typeof result !== "object" || result === null || !("user_name" in result)) {
    return undefined;
  }
  return typeof result.user_name === "string" && result.user_name !== ""
    ? result.user_name
    : undefined;
}

function isRefusal(error: unknown): boolean {
  return (
    isServiceNowError(error) &&
    (error.code === "FORBIDDEN" || error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
  );
}
