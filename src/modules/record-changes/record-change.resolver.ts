import type { GraphQLResolveInfo } from "graphql";
import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";

import { GatewayError } from "../../common/gateway.error";
import type { LookupPlan } from "../../database/read/read-plan";
import type { GraphQLContext } from "../../graphql/context.type";
import { TABLES } from "../../tables";
import type { Incident } from "../incidents/incident.entity";
import { INCIDENT_TABLE } from "../incidents/incident.table";
import type { RecordFilter } from "../records/record-inputs.factory";
import { filterInputOf, recordTypeOf } from "../records/record-types";
import type { ChangedRecordsReader } from "./changed-records.reader";
import type { RecordChange } from "./record-change.event";
import type { RecordChangeFeed } from "./record-change.feed";
import { RecordsChangedEvent } from "./records-changed-event.type";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLE_NAMES: readonly string[] = TABLES.map((table) => table.name);

interface SubscribeData<Args> {
  readonly args: Args;
  readonly context: GraphQLContext;
  readonly info: GraphQLResolveInfo;
}

interface RecordsChangedArgs {
  readonly integrationId?: string | null;
  readonly tables?: readonly string[] | null;
}

interface IncidentChangedArgs {
  readonly integrationId?: string | null;
  readonly filter?: RecordFilter | null;
}

function feedOf(context: GraphQLContext): RecordChangeFeed {
  if (context.recordChanges === undefined) {
    // Over HTTP the subscriptions-over-http plugin refuses subscriptions before this.
    throw new GatewayError("BAD_USER_INPUT", "Subscriptions are served over graphql-ws only.");
  }
  return context.recordChanges;
}

function checkIntegrationId(integrationId: string | null | undefined): void {
  if (integrationId !== null && integrationId !== undefined && !UUID.test(integrationId)) {
    throw GatewayError.badInput(
      "integrationId",
      "integrationId must be an integration id (a UUID)",
    );
  }
}

function recordsChanged({ args, context }: SubscribeData<RecordsChangedArgs>) {
  checkIntegrationId(args.integrationId);
  const unknown = (args.tables ?? []).filter((table) => !TABLE_NAMES.includes(table));
  if (unknown.length > 0) {
    throw GatewayError.badInput(
      "tables",
      `Unknown table ${unknown.map((table) => `"${table}"`).join(", ")}; tables takes ServiceNow table names: ${TABLE_NAMES.join(", ")}`,
    );
  }
  const tables = args.tables ? new Set(args.tables) : null;
  const { integrationId } = args;
  return feedOf(context).listen(
    (change) =>
      (integrationId === null ||
        integrationId === undefined ||
        change.integrationId === integrationId) &&
      (tables === null || tables.has(change.table)),
  );
}

function incidentChanged({ args, context, info }: SubscribeData<IncidentChangedArgs>) {
  checkIntegrationId(args.integrationId);
  const feed = feedOf(context);
  const filter = args.filter ?? null;
  // Bad filter values are refused now, as the list refuses them, not at the first event.
  feed.records.check(INCIDENT_TABLE, filter);
  const plan = feed.records.planOf(INCIDENT_TABLE, info);
  const { integrationId } = args;
  const changes = feed.listen(
    (change) =>
      change.table === INCIDENT_TABLE.name &&
      change.operation !== "DELETE" &&
      (integrationId === null ||
        integrationId === undefined ||
        change.integrationId === integrationId),
  );
  return new ChangedRecordsIterator(changes, feed.records, plan, filter);
}

/**
 * The incidents each change touched that pass the filter, one by one. Not an async generator:
 * one waiting for the next change would not see `return()` until a change came, so the
 * subscription's queue would outlive its subscriber.
 */
class ChangedRecordsIterator implements AsyncIterableIterator<object> {
  private pending: object[] = [];

  constructor(
    private readonly changes: AsyncIterableIterator<RecordChange>,
    private readonly reader: ChangedRecordsReader,
    private readonly plan: LookupPlan | null,
    private readonly filter: RecordFilter | null,
  ) {}

  async next(): Promise<IteratorResult<object>> {
    for (;;) {
      const record = this.pending.shift();
      if (record !== undefined) {
        return { value: record, done: false };
      }
      const change = await this.changes.next();
      if (change.done === true) {
        return { value: undefined, done: true };
      }
      const { integrationId, sysIds } = change.value;
      try {
        this.pending = [
          ...(await this.reader.read(INCIDENT_TABLE, this.plan, {
            integrationId,
            sysIds,
            filter: this.filter,
          })),
        ];
      } catch (error) {
        // The subscription ends with this error (graphql-ws sends it); a rejected next() is
        // never followed by return(), so the queue is let go here.
        await this.changes.return?.();
        throw error;
      }
    }
  }

  async return(): Promise<IteratorResult<object>> {
    this.pending = [];
    await this.changes.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Subscriptions to committed changes (graphql-ws on /graphql). Each event is published after
 * its transaction commits, so what it names is already in the cache.
 */
@Resolver()
export class RecordChangeResolver {
  @Subscription(() => RecordsChangedEvent, {
    description:
      "One event per committed write (a sync page, a delete, a webhook upsert) and operation, from now on. tables takes ServiceNow table names (incident, change_request, …); null means every table.",
    subscribe: (data) => recordsChanged(data as SubscribeData<RecordsChangedArgs>),
  })
  recordsChanged(
    @Root() change: RecordChange,
    // Declared in reverse: type-graphql lists arguments last-declared first.
    @Arg("tables", () => [String], { nullable: true }) _tables?: string[] | null,
    @Arg("integrationId", () => ID, { nullable: true }) _integrationId?: string | null,
  ): RecordChange {
    return change;
  }

  @Subscription(() => recordTypeOf(INCIDENT_TABLE), {
    description:
      'Each incident a committed insert or update touched that passes the filter, selected like any query. A delete emits nothing (the incident is gone); subscribe to recordsChanged with tables: ["incident"] to see deletes.',
    subscribe: (data) => incidentChanged(data as SubscribeData<IncidentChangedArgs>),
  })
  incidentChanged(
    @Root() incident: Incident,
    // Declared in reverse, as above.
    @Arg("filter", () => filterInputOf(INCIDENT_TABLE), { nullable: true })
    _filter?: RecordFilter | null,
    @Arg("integrationId", () => ID, { nullable: true }) _integrationId?: string | null,
  ): Incident {
    return incident;
  }
}
