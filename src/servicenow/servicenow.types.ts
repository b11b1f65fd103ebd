/**
 * Raw Table API shapes, exactly as ServiceNow sends them. Mappers turn these into domain objects;
 * nothing here knows what an incident is.
 */

/** A set reference with `sysparm_exclude_reference_link=false` (the default). */
export interface RawReference {
  readonly link: string;
  readonly value: string;
}

/** Every field with `sysparm_display_value=all`; references also carry `link` unless excluded. */
export interface RawDisplayPair {
  readonly display_value: string | null;
  readonly value: string;
  readonly link?: string;
}

/**
 * A field value. With `sysparm_display_value=false` every field is a string (an empty reference is
 * `""`, a set one a `{link, value}` object or, with `sysparm_exclude_reference_link=true`, the bare
 * sys_id); with `all`, every field is a `{display_value, value}` pair.
 */
export type RawValue = string | RawReference | RawDisplayPair;

export type RawRecord = Readonly<Record<string, RawValue>>;

export type DisplayValueMode = boolean | "all";

export interface RateLimitInfo {
  /** `X-RateLimit-Limit`: requests allowed per window by the rule that applies. */
  readonly limit: number;
  /** `X-RateLimit-Remaining`, when the instance sends it. */
  readonly remaining?: number;
  /** `X-RateLimit-Reset` (Unix seconds) as an instant. */
  readonly resetAt: Date;
  /** `X-RateLimit-Rule`: the sys_id of the rate limit rule. */
  readonly rule?: string;
}

/** The `Link` header's URLs (they carry `sysparm_offset`); ends may be missing. */
export interface PageLinks {
  readonly first?: string;
  readonly prev?: string;
  readonly next?: string;
  readonly last?: string;
}

/** A keyset position: the (cursor field, sys_id) of the last record handed out. */
export interface RecordCursor {
  readonly timestamp: Date;
  readonly sysId: string;
}
