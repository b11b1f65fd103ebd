export {
  EncodedQuery,
  type KeysetQuery,
  keysetQuery,
  type KeysetQueryOptions,
  query,
  type QueryOperator,
  type QueryOptions,
  type QueryValue,
  sysIdKeysetQuery,
  type SysIdKeysetQueryOptions,
} from "./encoded-query.builder";
export {
  OAuthAuthorizationCodeProvider,
  type OAuthAuthorizationCodeProviderOptions,
} from "./oauth-authorization-code.provider";
export {
  OAuthPasswordGrantProvider,
  type OAuthPasswordGrantProviderOptions,
  type OAuthTokenStore,
} from "./oauth-password-grant.provider";
export {
  type AuthorizationCodeInput,
  type AuthorizeUrlInput,
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  type OAuthClientConfig,
  type OAuthTokens,
  type PasswordGrantInput,
  refreshAccessToken,
  type RefreshTokenInput,
  requestPasswordGrant,
  type TokenHttpOptions,
} from "./oauth-token.client";
export { type AuthKind, type AuthProvider, BasicAuthProvider } from "./servicenow.auth";
export {
  DEFAULT_RETRY,
  type QueryParamValue,
  type RecordResult,
  type RetryOptions,
  ServiceNowClient,
  type ServiceNowClientOptions,
  type ServiceNowRequestInit,
  type ServiceNowResponse,
  type TablePage,
  type TableQueryParams,
  type WriteParams,
  type WriteValues,
} from "./servicenow.client";
export {
  EncodedQueryError,
  type EncodedQueryErrorCode,
  InvalidTimeZoneError,
  isServiceNowError,
  SERVICENOW_ERROR_CODES,
  ServiceNowError,
  type ServiceNowErrorCode,
  type ServiceNowErrorInit,
} from "./servicenow.errors";
export {
  compareCursors,
  pageRecords,
  type PageRecordsOptions,
  pageSysIds,
  type PageSysIdsOptions,
  type RecordPage,
  type SysIdPage,
} from "./servicenow.pager";
export type {
  DisplayValueMode,
  PageLinks,
  RateLimitInfo,
  RawDisplayPair,
  RawRecord,
  RawReference,
  RawValue,
  RecordCursor,
} from "./servicenow.types";
export {
  type AmbiguousTimePreference,
  assertTimeZone,
  formatServiceNowDateTime,
  isSupportedTimeZone,
  parseServiceNowDateTime,
  type QueryLowerBound,
  queryLowerBound,
  wallClockAsUtcMs,
  wallClockToInstant,
  wallClockToInstants,
} from "./servicenow-datetime";
export { fetchTableFields } from "./servicenow-fields.reader";
export { describeNetworkError, findNetworkCode } from "./servicenow-response.translator";
export {
  isJournalField,
  isServiceNowTableName,
  SERVICENOW_TABLE_NAMES,
  SERVICENOW_TABLES,
  type ServiceNowTableName,
  type ServiceNowTableSpec,
} from "./servicenow-tables";
export {
  checkQueryTimeZone,
  type CurrentUserTimeZoneOptions,
  fetchCurrentUserTimeZone,
  fetchInstanceDefaultTimeZone,
  fetchUserTimeZone,
  type QueryTimeZoneCheckOptions,
  type TimeZoneReadOptions,
  type UserTimeZone,
} from "./servicenow-time-zone.reader";
export { normalizeInstanceUrl } from "./servicenow-url";
export {
  isIntegerText,
  readBoolean,
  readDateTime,
  readDisplayValue,
  readInt,
  readOptionalValue,
  readReference,
  readValue,
} from "./servicenow-values";
