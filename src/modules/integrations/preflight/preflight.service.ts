import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

import type { Logger } from "../../../logging/logger";
import {
  describeNetworkError,
  fetchCurrentUserTimeZone,
  fetchTableFields,
  fetchUserTimeZone,
  findNetworkCode,
  isServiceNowError,
  query,
  readValue,
  type ServiceNowClient,
} from "../../../servicenow";
import { SERVICENOW_TABLE_NAMES, SERVICENOW_TABLES } from "../../../servicenow/servicenow-tables";
import { ConnectionCheck, ConnectionValidation, type Integration } from "../integration.entity";
import { AuthMethod, CheckStatus } from "../integration.enums";
import type { IntegrationConnectionFactory } from "../integration-connection.factory";
import { addressRefusal, hostRefusal } from "../url-policy";
import { authenticationFailure, describeFailure, tableReadFailure } from "./preflight-messages";

/** Roles that may create incidents on a standard instance. */
export const INCIDENT_WRITER_ROLES: readonly string[] = [
  "itil",
  "sn_incident_write",
  "incident_manager",
  "admin",
];
const WRITE_ACCESS_CHECK = "incident write access";

interface CheckOutcome {
  readonly status: CheckStatus;
  readonly message: string;
}

export interface PreflightSettings {
  readonly timeoutMs: number;
}

export interface PreflightResult {
  readonly validation: ConnectionValidation;
  /** The integration user's time zone when it could be read (null: instance default). */
  readonly userTimeZone: string | null | undefined;
}

function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "name" in error
    ? String(error.name)
    : undefined;
}

/**
 * The checks `validateConnection` and `testConnection` run: URL policy (after DNS), reachability
 * (DNS/TCP/TLS/HTTP), authentication, read access to each table the sync reads (concurrently),
 * and the integration user's time zone. A check that cannot run because an earlier one failed
 * says so.
 */
export class PreflightService {
  constructor(
    private readonly connections: IntegrationConnectionFactory,
    private readonly logger: Logger,
  ) {}

  async run(integration: Integration, settings: PreflightSettings): Promise<PreflightResult> {
    const checks: ConnectionCheck[] = [];
    let userTimeZone: string | null | undefined;
    const record = async (
      name: string,
      body: () => Promise<CheckOutcome>,
    ): Promise<CheckOutcome> => {
      const started = performance.now();
      let outcome: CheckOutcome;
      try {
        outcome = await body();
      } catch (error) {
        outcome = { status: CheckStatus.FAIL, message: describeFailure(error) };
      }
      const check = Object.assign(new ConnectionCheck(), {
        name,
        ...outcome,
        durationMs: Math.round(performance.now() - started),
      });
      checks.push(check);
      return outcome;
    };
    const skip = (names: readonly string[], because: string) => {
      for (const name of names) {
        checks.push(
          Object.assign(new ConnectionCheck(), {
            name,
            status: CheckStatus.FAIL,
            message: `Not run: ${because}.`,
            durationMs: 0,
          }),
        );
      }
    };
    const later = [
      "authentication",
      ...SERVICENOW_TABLE_NAMES.map((table) => `read ${table}`),
      "field discovery",
      "time zone",
      ...(integration.writeEnabled ? [WRITE_ACCESS_CHECK] : []),
    ];

    const url = new URL(integration.url);
    const policy = await record("url policy", () => this.checkUrlPolicy(integration, url));
    if (policy.status === CheckStatus.FAIL) {
      skip(["reachability", ...later], "the URL policy refused the address");
      return this.finish(checks, userTimeZone);
    }
    const reachable = await record("reachability", () =>
      this.checkReachability(integration, settings),
    );
    if (reachable.status === CheckStatus.FAIL) {
      skip(later, "the instance is not reachable");
      return this.finish(checks, userTimeZone);
    }

    let client: ServiceNowClient | null = null;
    let userName: string | undefined;
    const authentication = await record("authentication", async () => {
      const authKind = integration.authMethod === AuthMethod.BASIC ? "basic" : "oauth";
      try {
        userName = (await this.connections.credentials(integration)).username;
        client = await this.connections.client(integration, {
          timeoutMs: settings.timeoutMs,
          retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
        });
        // Any authenticated answer proves the credentials; 403 only means no ACL on sys_user.
        await client.getRecords("sys_user", { fields: ["sys_id"], limit: 1, noCount: true });
      } catch (error) {
        if (isServiceNowError(error) && error.code === "FORBIDDEN") {
          return { status: CheckStatus.PASS, message: "Signed in to ServiceNow." };
        }
        if (isServiceNowError(error) && error.code === "NOT_FOUND") {
          return { status: CheckStatus.FAIL, message: tableReadFailure(error, "sys_user") };
        }
        if (isServiceNowError(error) && error.code !== "AUTH_FAILED") {
          throw error;
        }
        return { status: CheckStatus.FAIL, message: authenticationFailure(error, authKind) };
      }
      return {
        status: CheckStatus.PASS,
        message: userName ? `Signed in to ServiceNow as ${userName}.` : "Signed in to ServiceNow.",
      };
    });
    if (authentication.status === CheckStatus.FAIL || client === null) {
      skip(later.slice(1), "authentication failed");
      return this.finish(checks, userTimeZone);
    }
    const signedIn: ServiceNowClient = client;

    await Promise.all(
      SERVICENOW_TABLE_NAMES.map((table) =>
        record(`read ${table}`, async () => {
          try {
            await signedIn.getRecords(table, { fields: ["sys_id"], limit: 1, noCount: true });
            return { status: CheckStatus.PASS, message: `The integration user can read ${table}.` };
          } catch (error) {
            return { status: CheckStatus.FAIL, message: tableReadFailure(error, table) };
          }
        }),
      ),
    );

    await record("field discovery", async () => {
      // One described table proves sys_dictionary is readable; its parents come from its descriptor.
      const probe = SERVICENOW_TABLES.incident;
      const fields = await fetchTableFields(signedIn, probe.name, probe.parentTables ?? []);
      return fields === null
        ? {
            status: CheckStatus.WARN,
            message:
              "sys_dictionary is not readable: the sync keeps every field the gateway maps, but not custom fields (grant read on sys_dictionary, e.g. the personalize_dictionary role).",
          }
        : {
            status: CheckStatus.PASS,
            message: `sys_dictionary lists ${fields.length} incident fields; unmapped and custom ones are kept in attributes.`,
          };
    });

    await record("time zone", async () => {
      let user: { timeZone: string | null; userName: string };
      try {
        user = userName
          ? await fetchUserTimeZone(signedIn, userName)
          : await fetchCurrentUserTimeZone(signedIn, {});
      } catch (error) {
        return {
          status: CheckStatus.WARN,
          message: `Could not read the integration user's time zone (${describeFailure(error)}); the sync will assume the instance default and keep an overlap window.`,
        };
      }
      userTimeZone = user.timeZone;
      return user.timeZone
        ? {
            status: CheckStatus.PASS,
            message: `The integration user's time zone is ${user.timeZone}; ServiceNow reads query dates in it, and the sync writes its watermarks in it.`,
          }
        : {
            status: CheckStatus.WARN,
            message:
              "The integration user has no time zone set, so ServiceNow uses the instance default; set it to UTC on the user record for exact incremental syncs.",
          };
    });
    if (integration.writeEnabled) {
      await record(WRITE_ACCESS_CHECK, () => this.checkWriteAccess(signedIn, userName));
    }
    return this.finish(checks, userTimeZone);
  }

  /**
   * Whether the integration user holds a role that may create incidents, read from
   * sys_user_has_role; nothing is created to find out.
   */
  private async checkWriteAccess(
    client: ServiceNowClient,
    userName: string | undefined,
  ): Promise<CheckOutcome> {
    const condition = userName
      ? query().where("user.user_name", "=", userName)
      : query().whereCurrentUserName("user.user_name");
    let roles: string[];
    try {
      const page = await client.getRecords("sys_user_has_role", {
        query: condition,
        fields: ["role.name"],
        limit: 500,
        noCount: true,
      });
      roles = page.records.map((record) => readValue(record["role.name"]));
    } catch (error) {
      return {
        status: CheckStatus.WARN,
        message: `Could not read the integration user's roles from sys_user_has_role (${describeFailure(error)}): make sure it holds ${INCIDENT_WRITER_ROLES.join(" or ")} so that creating incidents works.`,
      };
    }
    const held = INCIDENT_WRITER_ROLES.filter((role) => roles.includes(role));
    return held.length > 0
      ? {
          status: CheckStatus.PASS,
          message: `The integration user holds ${held.join(", ")}: it may create and update incidents.`,
        }
      : {
          status: CheckStatus.WARN,
          message: `The integration user holds none of ${INCIDENT_WRITER_ROLES.join(", ")}: unless a custom role grants it, ServiceNow will refuse to create incidents (ask the ServiceNow team for the itil role).`,
        };
  }

  private finish(
    checks: ConnectionCheck[],
    userTimeZone: string | null | undefined,
  ): PreflightResult {
    const validation = Object.assign(new ConnectionValidation(), {
      ok: checks.every((check) => check.status !== CheckStatus.FAIL),
      checkedAt: new Date(),
      checks,
    });
    return { validation, userTimeZone };
  }

  private async checkUrlPolicy(integration: Integration, url: URL): Promise<CheckOutcome> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const refusal = hostRefusal(host, integration.deployment);
    if (refusal) {
      return { status: CheckStatus.FAIL, message: refusal };
    }
    if (isIP(host) !== 0) {
      return {
        status: CheckStatus.PASS,
        message: `${url.protocol}//${url.host} is allowed for ${integration.deployment}.`,
      };
    }
    let addresses: { address: string }[];
    try {
      addresses = await lookup(host, { all: true });
    } catch (error) {
      return {
        status: CheckStatus.FAIL,
        message: `DNS lookup of ${host} failed (${findNetworkCode(error) ?? "error"}): check the instance URL.`,
      };
    }
    for (const { address } of addresses) {
      const refused = addressRefusal(address, integration.deployment);
      if (refused) {
        return { status: CheckStatus.FAIL, message: `${host} resolves to ${refused}` };
      }
    }
    return {
      status: CheckStatus.PASS,
      message: `${host} resolves to ${addresses.map((entry) => entry.address).join(", ")}, allowed for ${integration.deployment}.`,
    };
  }

  private async checkReachability(
    integration: Integration,
    settings: PreflightSettings,
  ): Promise<CheckOutcome> {
    // Any HTTP answer proves DNS, TCP and TLS; no credentials are sent.
    const probe = new URL(`${integration.url}/api/now/table/sys_user`);
    probe.searchParams.set("sysparm_limit", "1");
    try {
      const response = await fetch(probe, {
        method: "GET",
        redirect: "manual",
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      await response.body?.cancel();
      return {
        status: CheckStatus.PASS,
        message: `${probe.protocol}//${probe.host} answered HTTP ${response.status}${probe.protocol === "https:" ? " over TLS" : ""}.`,
      };
    } catch (error) {
      if (errorName(error) === "TimeoutError" || errorName(error) === "AbortError") {
        return {
          status: CheckStatus.FAIL,
          message: `${probe.host} did not answer within ${settings.timeoutMs} ms: check the URL, firewalls and proxies.`,
        };
      }
      this.logger.debug({ err: error, integrationId: integration.id }, "reachability probe failed");
      return {
        status: CheckStatus.FAIL,
        message: `Cannot reach ${probe.host}: ${describeNetworkError(error)}.`,
      };
    }
  }
}
