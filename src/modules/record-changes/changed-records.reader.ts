import type { GraphQLResolveInfo } from "graphql";
import type { DataSource } from "typeorm";

import type { LookupPlan } from "../../database/read/read-plan";
import type { ReadPlans } from "../../database/read/read-plans";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { RecordService } from "../records/record.service";
import type { RecordFilter } from "../records/record-inputs.factory";

/** Which changed records to read: one integration's sys_ids, kept when they pass the filter. */
export interface ChangedRecordsQuery {
  readonly integrationId: string;
  readonly sysIds: readonly string[];
  readonly filter: RecordFilter | null;
}

/** A page may hold thousands of sys_ids: read them a bounded list at a time. */
const SYS_IDS_PER_STATEMENT = 1000;

/**
 * The records a change touched, read as any query reads them: through the subscription's read
 * plan (its selection compiled once, to-ones joined, to-manys batched) or, when no plan reads
 * the selection, through the table's service, its relations then resolved by DataLoaders.
 */
export class ChangedRecordsReader {
  private readonly services = new Map<string, RecordService>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly readPlans: ReadPlans | null,
  ) {}

  /** Refuses, before the subscription starts, a filter the table's list would refuse. */
  check(table: TableDescriptor, filter: RecordFilter | null): void {
    this.serviceOf(table).filtered(null, filter);
  }

  /** The plan of the subscription field's selection; null answers through the service. */
  planOf(table: TableDescriptor, info: GraphQLResolveInfo): LookupPlan | null {
    return this.readPlans?.recordPlan(table, info) ?? null;
  }

  async read(
    table: TableDescriptor,
    plan: LookupPlan | null,
    query: ChangedRecordsQuery,
  ): Promise<readonly object[]> {
    const records: object[] = [];
    for (let start = 0; start < query.sysIds.length; start += SYS_IDS_PER_STATEMENT) {
      const sysIds = query.sysIds.slice(start, start + SYS_IDS_PER_STATEMENT);
      records.push(
        ...(plan !== null && this.readPlans !== null
          ? await this.readPlans.runRecords(table, plan, { ...query, sysIds })
          : await this.serviceOf(table).changed(query.integrationId, sysIds, query.filter)),
      );
    }
    return records;
  }

  private serviceOf(table: TableDescriptor): RecordService {
    let service = this.services.get(table.name);
    if (service === undefined) {
      service = new RecordService(this.dataSource, table);
      this.services.set(table.name, service);
    }
    return service;
  }
}
