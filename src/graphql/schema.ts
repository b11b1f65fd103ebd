import type { GraphQLSchema } from "graphql";
import {
  buildSchema,
  type ClassType,
  type ContainerType,
  type NonEmptyArray,
  type PubSub,
} from "type-graphql";

import { IncidentWriteResolver } from "../modules/incident-writes/incident-write.resolver";
import { InsightsResolver } from "../modules/insights/insights.resolver";
import { IntegrationResolver } from "../modules/integrations/integration.resolver";
import { RecordChangeResolver } from "../modules/record-changes/record-change.resolver";
import { RECORD_RESOLVERS } from "../modules/records/record-resolvers";
import { SyncRunResolver } from "../modules/sync-runs/sync-run.resolver";
import { WebhookResolver } from "../modules/webhooks/webhook.resolver";
import { validateArguments } from "./argument-validation";
import { authChecker } from "./auth-checker";
import { answerPlannedRecords } from "./planned-records";

/**
 * The integrations, one derived resolver per described table, sync runs, insights, and the
 * subscriptions to committed record changes.
 */
export const RESOLVERS: NonEmptyArray<ClassType> = [
  IntegrationResolver,
  ...RECORD_RESOLVERS,
  SyncRunResolver,
  IncidentWriteResolver,
  InsightsResolver,
  RecordChangeResolver,
  WebhookResolver,
];

/** Resolver instances, built once at start-up with their services. */
export class ResolverContainer implements ContainerType {
  private readonly instances = new Map<ClassType, unknown>();

  register<T extends object>(resolverClass: ClassType<T>, instance: T): this {
    this.instances.set(resolverClass, instance);
    return this;
  }

  get(someClass: ClassType): unknown {
    const instance = this.instances.get(someClass);
    if (instance !== undefined) {
      return instance;
    }
    // Resolvers without dependencies are created on first use.
    const created: unknown = Reflect.construct(someClass, []);
    this.instances.set(someClass, created);
    return created;
  }
}

/**
 * type-graphql insists on a PubSub once any @Subscription exists, but ours all pass their own
 * `subscribe` (the record change bus): topic-based ones would fail loudly here.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error("Subscriptions listen to the record change bus, not to PubSub topics");
  },
  subscribe() {
    throw new Error("Subscriptions listen to the record change bus, not to PubSub topics");
  },
};

export async function buildGatewaySchema(
  container: ContainerType = new ResolverContainer(),
  emitSchemaFile?: string,
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    container,
    authChecker,
    authMode: "error",
    pubSub: NO_TOPICS,
    validateFn: validateArguments,
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: false } : false,
  });
  return answerPlannedRecords(schema);
}
