import type { DataSource, Repository } from "typeorm";

import { findOneRecord } from "../../database/record-lookup";
import { whereEquals, whereSysIdIn, whereTextContains } from "../../graphql/filters/query-filters";
import type { ConnectionResult } from "../../graphql/pagination/connection.type";
import { keysetConnection } from "../../graphql/pagination/keyset";
import { pageSize } from "../../graphql/pagination/order-keys";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import type { UserLookupArgs, UsersArgs } from "./user.args";
import { User } from "./user.entity";

export class UserService {
  private readonly users: Repository<User>;

  constructor(dataSource: DataSource) {
    this.users = dataSource.getRepository(User);
  }

  async list(args: UsersArgs): Promise<ConnectionResult<User>> {
    const filtered = () => {
      const query = this.users.createQueryBuilder("user");
      whereEquals(query, "integrationId", args.integrationId, "integrationId");
      const filter = args.filter;
      if (filter) {
        whereEquals(query, "active", filter.active, "filter.active", false);
        whereSysIdIn(query, "departmentSysId", filter.departmentSysId, "filter.departmentSysId");
        whereSysIdIn(query, "managerSysId", filter.managerSysId, "filter.managerSysId");
        whereTextContains(query, ["name", "userName", "email"], filter.search, "filter.search");
      }
      return query;
    };
    return keysetConnection(filtered, {
      keys: [{ property: "name", direction: "ASC", nullable: true, kind: "string" }],
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
    });
  }

  findOne(args: UserLookupArgs): Promise<User | null> {
    return findOneRecord(this.users, args, {
      field: "userName",
      property: "userName",
      value: args.userName,
    });
  }
}
