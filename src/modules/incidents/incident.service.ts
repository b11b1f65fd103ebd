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
import type { IncidentsArgs } from "./incident.args";
import { Incident } from "./incident.entity";
import { INCIDENT_STATE_VALUES, IncidentOrderField } from "./incident.enums";

const ORDER_COLUMNS: Record<IncidentOrderField, Omit<SortKey, "direction">> = {
  [IncidentOrderField.NUMBER]: { property: "number", nullable: true, kind: "string" },
  [IncidentOrderField.OPENED_AT]: { property: "openedAt", nullable: true, kind: "date" },
  [IncidentOrderField.CREATED_AT]: { property: "sysCreatedOn", nullable: false, kind: "date" },
  [IncidentOrderField.UPDATED_AT]: { property: "sysUpdatedOn", nullable: false, kind: "date" },
  [IncidentOrderField.RESOLVED_AT]: { property: "resolvedAt", nullable: true, kind: "date" },
  [IncidentOrderField.CLOSED_AT]: { property: "closedAt", nullable: true, kind: "date" },
  [IncidentOrderField.PRIORITY]: { property: "priority", nullable: true, kind: "number" },
  [IncidentOrderField.STATE]: { property: "stateValue", nullable: true, kind: "string" },
};

export class IncidentService {
  private readonly incidents: Repository<Incident>;

  constructor(dataSource: DataSource) {
    this.incidents = dataSource.getRepository(Incident);
  }

  async list(args: IncidentsArgs): Promise<ConnectionResult<Incident>> {
    const filtered = () => {
      const query = this.incidents.createQueryBuilder("incident");
      whereEquals(query, "integrationId", args.integrationId, "integrationId");
      const filter = args.filter;
      if (filter) {
        whereIn(
          query,
          "stateValue",
          filter.state?.map((state) => INCIDENT_STATE_VALUES[state]),
          "filter.state",
        );
        whereIn(query, "stateValue", filter.stateValue, "filter.stateValue");
        whereIn(query, "priority", filter.priority, "filter.priority");
        whereIn(query, "impact", filter.impact, "filter.impact");
        whereIn(query, "urgency", filter.urgency, "filter.urgency");
        whereIn(query, "category", filter.category, "filter.category");
        whereSysIdIn(
          query,
          "assignmentGroupSysId",
          filter.assignmentGroupSysId,
          "filter.assignmentGroupSysId",
        );
        whereSysIdIn(query, "assignedToSysId", filter.assignedToSysId, "filter.assignedToSysId");
        whereSysIdIn(query, "callerSysId", filter.callerSysId, "filter.callerSysId");
        whereSysIdIn(query, "causedBySysId", filter.causedBySysId, "filter.causedBySysId");
        whereEquals(query, "active", filter.active, "filter.active", false);
        whereInRange(query, "openedAt", filter.openedAt, "filter.openedAt");
        whereInRange(query, "resolvedAt", filter.resolvedAt, "filter.resolvedAt");
        whereInRange(query, "closedAt", filter.closedAt, "filter.closedAt");
        whereInRange(query, "sysCreatedOn", filter.createdAt, "filter.createdAt");
        whereInRange(query, "sysUpdatedOn", filter.updatedAt, "filter.updatedAt");
        whereTextContains(query, ["number", "shortDescription"], filter.search, "filter.search");
      }
      return query;
    };
    const keys = toSortKeys(args.orderBy, ORDER_COLUMNS, [
      { field: IncidentOrderField.OPENED_AT, direction: "DESC" },
    ]);
    return keysetConnection(filtered, {
      keys,
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
    });
  }

  findOne(args: {
    integrationId?: string | null;
    sysId?: string | null;
    number?: string | null;
  }): Promise<Incident | null> {
    return findOneRecord(this.incidents, args, {
      field: "number",
      property: "number",
      value: args.number,
    });
  }
}
