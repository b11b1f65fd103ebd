import type { DataSource } from "typeorm";

import type { ResolverContainer } from "../../graphql/schema";
import { TABLES } from "../../tables";
import { RecordService } from "./record.service";
import { createRecordResolver, type RecordResolverClass } from "./record-resolver.factory";

const RESOLVERS_BY_TABLE = TABLES.flatMap((table) => {
  const resolver = createRecordResolver(table);
  return resolver === null ? [] : [{ table, resolver }];
});

/** The resolver class of every described table that has fields to resolve. */
export const RECORD_RESOLVERS: readonly RecordResolverClass[] = RESOLVERS_BY_TABLE.map(
  (entry) => entry.resolver,
);

/** Registers each table's resolver with its service on `dataSource`. */
export function registerRecordResolvers(
  container: ResolverContainer,
  dataSource: DataSource,
): ResolverContainer {
  for (const { table, resolver } of RESOLVERS_BY_TABLE) {
    container.register(resolver, new resolver(new RecordService(dataSource, table)));
  }
  return container;
}
