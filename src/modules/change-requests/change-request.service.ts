import type { DataSource, Repository } from "typeorm";

import { findOneRecord } from "../../database/record-lookup";
import {
  whereEquals,
  whereIn,
  whereInRange,
  whereSysIdIn,
  whereTextContains,
} from "../../graphql/filters/query-filters";
import type { ConnectionResult } from "../../graphql/pagination/connection.type";
import { keysetConnection, type SortKey } from "../../graphql/pagination/keyset";
import { pageSize, toSortKeys } from "../../graphql/pagination/order-keys";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import type { ChangeRequestLookupArgs, ChangeRequestsArgs } from "./change-request.args";
import { ChangeRequest } from "./change-request.entity";
import { CHANGE_REQUEST_STATE_VALUES, ChangeRequestOrderField } from "./change-request.enums";

const ORDER_COLUMNS: Record<ChangeRequestOrderField, Omit<SortKey, "direction">> = {
  [ChangeRequestOrderField.NUMBER]: { property: "number", nullable: true, kind: "string" },
  [ChangeRequestOrderField.CREATED_AT]: { property: "sysCreatedOn", nullable: false, kind: "date" },
  [ChangeRequestOrderField.UPDATED_AT]: { property: "sysUpdatedOn", nullable: false, kind: "date" },
  [ChangeRequestOrderField.PLANNED_START]: {
    property: "plannedStartAt",
    nullable: true,
    kind: "date",
  },
  [ChangeRequestOrderField.PRIORITY]: { property: "priority", nullable: true, kind: "number" },
  [ChangeRequestOrderField.STATE]: { property: "stateValue", nullable: true, kind: "string" },
};

export class ChangeRequestService {
  private readonly changeRequests: Repository<ChangeRequest>;

  constructor(dataSource: DataSource) {
    this.changeRequests = dataSource.getRepository(ChangeRequest);
  }

  async list(args: ChangeRequestsArgs): Promise<ConnectionResult<ChangeRequest>> {
    const filtered = () => {
      const query = this.changeRequests.createQueryBuilder("change");
      whereEquals(query, "integrationId", args.integrationId, "integrationId");
      const filter = args.filter;
      if (filter) {
        whereIn(
          query,
          "stateValue",
          filter.state?.map((state) => CHANGE_REQUEST_STATE_VALUES[state]),
          "filter.state",
        );
        whereIn(query, "stateValue", filter.stateValue, "filter.stateValue");
        whereIn(query, "type", filter.type, "filter.type");
        whereIn(query, "priority", filter.priority, "filter.priority");
        whereIn(query, "impact", filter.impact, "filter.impact");
        whereIn(query, "risk", filter.risk, "filter.risk");
        whereIn(query, "closeCode", filter.closeCode, "filter.closeCode");
        whereSysIdIn(
          query,
          "assignmentGroupSysId",
          filter.assignmentGroupSysId,
          "filter.assignmentGroupSysId",
        );
        whereSysIdIn(query, "assignedToSysId", filter.assignedToSysId, "filter.assignedToSysId");
        whereEquals(query, "active", filter.active, "filter.active", false);
        whereInRange(query, "plannedStartAt", filter.plannedStartAt, "filter.plannedStartAt");
        whereInRange(query, "sysCreatedOn", filter.createdAt, "filter.createdAt");
        whereInRange(query, "sysUpdatedOn", filter.updatedAt, "filter.updatedAt");
        whereTextContains(query, ["number", "shortDescription"], filter.search, "filter.search");
      }
      return query;
    };
    const keys = toSortKeys(args.orderBy, ORDER_COLUMNS, [
      { field: ChangeRequestOrderField.CREATED_AT, direction: "DESC" },
    ]);
    return keysetConnection(filtered, {
      keys,
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
    });
  }

  findOne(args: ChangeRequestLookupArgs): Promise<ChangeRequest | null> {
    return findOneRecord(this.changeRequests, args, {
      field: "number",
      property: "number",
      value: args.number,
    });
  }
}
