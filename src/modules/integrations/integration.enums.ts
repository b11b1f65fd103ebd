import { registerEnumType } from "type-graphql";

export enum Deployment {
  CLOUD = "CLOUD",
  ON_PREM = "ON_PREM",
}

export enum AuthMethod {
  BASIC = "BASIC",
  OAUTH = "OAUTH",
}

export enum IntegrationStatus {
  PENDING = "PENDING",
  NEEDS_AUTHORIZATION = "NEEDS_AUTHORIZATION",
  CONNECTED = "CONNECTED",
  FAILED = "FAILED",
  DISABLED = "DISABLED",
}

export enum CheckStatus {
  PASS = "PASS",
  WARN = "WARN",
  FAIL = "FAIL",
}

registerEnumType(Deployment, {
  name: "Deployment",
  description: "Where the instance runs: ServiceNow's cloud (https only) or on-premises.",
});
registerEnumType(AuthMethod, { name: "AuthMethod" });
registerEnumType(IntegrationStatus, { name: "IntegrationStatus" });
registerEnumType(CheckStatus, { name: "CheckStatus" });
