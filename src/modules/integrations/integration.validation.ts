import { GatewayError } from "../../common/gateway.error";
import {
  isServiceNowTableName,
  SERVICENOW_TABLE_NAMES,
  SERVICENOW_TABLES,
} from "../../servicenow/servicenow-tables";
import type { ExcludedFields } from "./integration.entity";
import { AuthMethod } from "./integration.enums";
import type { ExcludedFieldsInput } from "./integration.inputs";

const FIELD_NAME = /^[a-z][a-z0-9_]{0,79}$/;

export function validateName(raw: string, field = "input.name"): string {
  const name = raw.trim();
  if (name.length === 0) {
    throw GatewayError.badInput(field, "name must not be empty");
  }
  if (name.length > 200) {
    throw GatewayError.badInput(field, "name must be at most 200 characters");
  }
  return name;
}

export function validateTags(
  raw: readonly string[] | null | undefined,
  field = "input.tags",
): string[] {
  const tags = [...new Set((raw ?? []).map((tag) => tag.trim()))];
  for (const tag of tags) {
    if (tag.length === 0 || tag.length > 50) {
      throw GatewayError.badInput(field, "each tag must be 1 to 50 characters");
    }
  }
  return tags;
}

export function validateText(
  raw: string | null | undefined,
  field: string,
  maxLength: number,
): string | null {
  const value = raw?.trim() ?? "";
  if (value.length > maxLength) {
    throw GatewayError.badInput(
      field,
      `${field.replace(/^input\./, "")} must be at most ${maxLength} characters`,
    );
  }
  return value === "" ? null : value;
}

/**
 * Excluded fields use ServiceNow names and must name a table the gateway reads; fields the
 * sync itself needs (sys_id, timestamps, keys) cannot be excluded.
 */
export function validateExcludedFields(
  raw: readonly ExcludedFieldsInput[] | null | undefined,
  field = "input.excludedFields",
): ExcludedFields[] {
  const byTable = new Map<string, Set<string>>();
  for (const [index, entry] of (raw ?? []).entries()) {
    const table = entry.table.trim();
    if (!isServiceNowTableName(table)) {
      throw GatewayError.badInput(
        `${field}[${index}].table`,
        `Unknown table "${table.slice(0, 80)}"; expected one of ${SERVICENOW_TABLE_NAMES.join(", ")}`,
      );
    }
    const fields = byTable.get(table) ?? new Set<string>();
    for (const name of entry.fields.map((value) => value.trim())) {
      if (!FIELD_NAME.test(name)) {
        throw GatewayError.badInput(
          `${field}[${index}].fields`,
          `"${name.slice(0, 80)}" is not a ServiceNow field name (lowercase letters, digits, _)`,
        );
      }
      if (SERVICENOW_TABLES[table].requiredFields.includes(name)) {
        throw GatewayError.badInput(
          `${field}[${index}].fields`,
          `${table}.${name} cannot be excluded: the sync needs it`,
        );
      }
      fields.add(name);
    }
    byTable.set(table, fields);
  }
  return [...byTable]
    .filter(([, fields]) => fields.size > 0)
    .map(([table, fields]) => ({ table, fields: [...fields].sort() }));
}

export interface CredentialShape {
  readonly authMethod: AuthMethod;
  readonly username: string | null;
  readonly hasPassword: boolean;
  readonly clientId: string | null;
  readonly hasClientSecret: boolean;
  readonly awsSecretId: string | null;
}

/** BASIC needs username + password; OAUTH needs client id + secret; or an AWS secret for either. */
export function validateCredentialShape(shape: CredentialShape): void {
  if (shape.awsSecretId !== null) {
    if (shape.hasPassword || shape.hasClientSecret) {
      throw GatewayError.badInput(
        "input.awsSecretId",
        "Pass either awsSecretId or the secrets themselves, not both",
      );
    }
    return;
  }
  if (shape.authMethod === AuthMethod.BASIC) {
    if (!shape.username) {
      throw GatewayError.badInput("input.username", "BASIC authentication needs a username");
    }
    if (!shape.hasPassword) {
      throw GatewayError.badInput("input.password", "BASIC authentication needs a password");
    }
    return;
  }
  if (!shape.clientId) {
    throw GatewayError.badInput(
      "input.clientId",
      "OAUTH needs the client id from ServiceNow's Application Registry",
    );
  }
  if (!shape.hasClientSecret) {
    throw GatewayError.badInput(
      "input.clientSecret",
      "OAUTH needs the client secret from ServiceNow's Application Registry",
    );
  }
  if (shape.username && !shape.hasPassword) {
    throw GatewayError.badInput(
      "input.password",
      "The OAuth password grant needs the user's password too",
    );
  }
}
