import type { DataSource, ObjectLiteral } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import { SYS_ID_PATTERN } from "../../database/query-filters";
import { query, readValue, type ServiceNowClient } from "../../servicenow";
import { syncTableOf } from "../../sync/sync-tables";

/**
 * Turns the names a caller writes (user names, group names) into the sys_ids ServiceNow
 * stores: from the cache first, then from the instance (a record created since the last sync).
 * Unknown or ambiguous names are BAD_USER_INPUT naming the input field, before anything is sent.
 */
export class IncidentReferences {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrationId: string,
    private readonly client: ServiceNowClient,
  ) {}

  /** A user by `user_name`. */
  async user(userName: string, field: string): Promise<string> {
    const cached = await this.cached("sys_user", "user_name", userName);
    const found = cached.length > 0 ? cached : await this.remote("sys_user", "user_name", userName);
    return this.single(found, field, `ServiceNow user with user name "${userName}"`);
  }

  /** The integration's own user (the caller when none is given). */
  async currentUser(userName: string | undefined, field: string): Promise<string> {
    if (userName !== undefined && userName !== "") {
      return this.user(userName, field);
    }
    // OAuth authorization-code integrations have no stored user name: ask who signed in.
    const page = await this.client.getRecords("sys_user", {
      query: query().whereCurrentUserName("user_name"),
      fields: ["sys_id"],
      limit: 2,
      noCount: true,
    });
    return this.single(
      page.records.map((record) => readValue(record.sys_id)),
      field,
      "ServiceNow user the integration signs in as",
    );
  }

  /** A group by sys_id or exact name. */
  async group(nameOrSysId: string, field: string): Promise<string> {
    if (SYS_ID_PATTERN.test(nameOrSysId)) {
      const bySysId = await this.cachedSysIds("sys_user_group", nameOrSysId);
      const found =
        bySysId.length > 0 ? bySysId : await this.remote("sys_user_group", "sys_id", nameOrSysId);
      if (found.length > 0) {
        return nameOrSysId;
      }
    }
    const cached = await this.cached("sys_user_group", "name", nameOrSysId);
    const found =
      cached.length > 0 ? cached : await this.remote("sys_user_group", "name", nameOrSysId);
    return this.single(found, field, `assignment group "${nameOrSysId}" (by name or sys_id)`);
  }

  private single(sysIds: readonly string[], field: string, what: string): string {
    const unique = [...new Set(sysIds)];
    if (unique.length === 1) {
      return unique[0];
    }
    throw GatewayError.badInput(
      field,
      unique.length === 0
        ? `No ${what} was found: nothing was written.`
        : `More than one ${what} matches (${unique.length}): pass a sys_id; nothing was written.`,
    );
  }

  /** sys_ids of cached rows whose ServiceNow field equals the value (at most 2: ambiguity). */
  private async cached(table: string, serviceNowField: string, value: string): Promise<string[]> {
    const sync = syncTableOf(table);
    const property = sync.columns[serviceNowField];
    if (property === undefined) {
      return [];
    }
    const rows = await this.dataSource
      .getRepository<ObjectLiteral>(sync.entity)
      .createQueryBuilder("row")
      .select("row.sysId", "sysId")
      .where("row.integrationId = :integrationId", { integrationId: this.integrationId })
      .andWhere(`row.${property} = :value`, { value })
      .limit(2)
      .getRawMany<{ sysId: string }>();
    return rows.map((row) => row.sysId);
  }

  private async cachedSysIds(table: string, sysId: string): Promise<string[]> {
    return this.cached(table, "sys_id", sysId);
  }

  /** The same question asked of the instance (an exact, case-sensitive match there too). */
  private async remote(table: string, serviceNowField: string, value: string): Promise<string[]> {
    const page = await this.client.getRecords(table, {
      query: query().where(serviceNowField, "=", value),
      fields: ["sys_id"],
      limit: 2,
      noCount: true,
    });
    return page.records.map((record) => readValue(record.sys_id));
  }
}
