import type { ObjectLiteral, Repository, SelectQueryBuilder } from "typeorm";

import { GatewayError } from "../common/gateway.error";
import { containsNul, SYS_ID_PATTERN } from "./query-filters";

export interface LookupArgs {
  readonly integrationId?: string | null;
  readonly sysId?: string | null;
}

/**
 * Finds one record by sys_id or by another unique-per-integration key (number, user name).
 * Exactly one key must be given; a key shared by several integrations needs `integrationId`.
 */
export async function findOneRecord<T extends ObjectLiteral>(
  repository: Repository<T>,
  args: LookupArgs,
  alternate: { readonly field: string; readonly property: string; readonly value?: string | null },
): Promise<T | null> {
  const { integrationId, sysId } = args;
  const hasSysId = sysId !== null && sysId !== undefined;
  const hasAlternate = alternate.value !== null && alternate.value !== undefined;
  if (hasSysId === hasAlternate) {
    throw GatewayError.badInput(
      hasSysId ? alternate.field : "sysId",
      `Pass exactly one of sysId or ${alternate.field}`,
    );
  }
  if (hasSysId && !SYS_ID_PATTERN.test(sysId)) {
    throw GatewayError.badInput("sysId", "sysId must be 32 lowercase hex characters");
  }
  if (hasAlternate && (alternate.value!.length === 0 || alternate.value!.length > 255)) {
    throw GatewayError.badInput(alternate.field, `${alternate.field} must be 1 to 255 characters`);
  }
  if (hasAlternate && containsNul(alternate.value)) {
    throw GatewayError.badInput(
      alternate.field,
      `${alternate.field} must not contain NUL characters`,
    );
  }
  const query: SelectQueryBuilder<T> = repository.createQueryBuilder("record");
  if (hasSysId) {
    query.where("record.sysId = :sysId", { sysId });
  } else {
    query.where(`record.${alternate.property} = :alternate`, { alternate: alternate.value });
  }
  if (integrationId) {
    query.andWhere("record.integrationId = :integrationId", { integrationId });
  }
  const rows = await query.orderBy("record.id", "ASC").limit(2).getMany();
  if (rows.length > 1) {
    throw GatewayError.badInput(
      "integrationId",
      `Several integrations have a record with this ${hasSysId ? "sysId" : alternate.field}; pass integrationId`,
    );
  }
  return rows[0] ?? null;
}
