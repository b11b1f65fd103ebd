import { isServiceNowError } from "../../../servicenow";

/** ServiceNow's own words, quoted, when it gave any. */
function quoted(error: { status?: number; serviceNowMessage?: string }): string {
  const status = error.status !== undefined ? `${error.status} ` : "";
  return error.serviceNowMessage ? `${status}${error.serviceNowMessage}` : `${status}`.trim();
}

/** A sentence a person can act on, for a failure of the authentication check. */
export function authenticationFailure(error: unknown, authKind: "basic" | "oauth"): string {
  if (!isServiceNowError(error)) {
    return `Authentication could not be attempted: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (error.code === "AUTH_FAILED") {
    const answer = quoted(error) || "401";
    return authKind === "basic"
      ? `Authentication failed: ServiceNow answered ${answer} — check the username and password, and that Basic auth is allowed for this user (instances enforcing glide.authenticate.basic_auth.restriction.enforce need "Web service access only" or the snc_basic_auth_api_access role).`
      : `Authentication failed: ServiceNow answered ${answer} — check the client id and secret in the Application Registry${error.needsReauthorization ? ", then authorize the integration again (authorizeIntegration)" : ""}.`;
  }
  return describeFailure(error);
}

/** A sentence for a failure reading one table. */
export function tableReadFailure(error: unknown, table: string): string {
  if (!isServiceNowError(error)) {
    return `Reading ${table} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.code) {
    case "FORBIDDEN":
      return `No read access to ${table}: ServiceNow answered ${quoted(error) || "403"} — grant the integration user a role with read ACLs on ${table} (e.g. itil, or a custom role), and the table_read scope for OAuth clients.`;
    case "NOT_FOUND":
      return `${table} was not found: ServiceNow answered ${quoted(error) || "404"} — check the instance URL (including any base path) and that the Table API is reachable there.`;
    case "BAD_REQUEST":
      return `ServiceNow refused to read ${table}: ${quoted(error) || "400"} — the table may not exist on this instance.`;
    default:
      return describeFailure(error);
  }
}

/** Generic wording for transport-level failures. */
export function describeFailure(error: unknown): string {
  if (!isServiceNowError(error)) {
    return error instanceof Error ? error.message : String(error);
  }
  switch (error.code) {
    case "TIMEOUT":
      return `ServiceNow did not answer in time (${error.message}).`;
    case "UNREACHABLE":
      return `ServiceNow is unreachable: ${error.message}.`;
    case "INVALID_RESPONSE":
      return `ServiceNow answered with something that is not the Table API's JSON: ${error.message}. A hibernating developer instance answers with an HTML page: wake it up at developer.servicenow.com.`;
    case "RATE_LIMITED":
      return `ServiceNow's rate limit refused the request: ${quoted(error) || "429"}; try again later or raise the integration user's limit.`;
    case "SERVER_ERROR":
      return `ServiceNow failed with ${quoted(error) || "a server error"}; it may be temporary.`;
    default:
      return error.message;
  }
}
