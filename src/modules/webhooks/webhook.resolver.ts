import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { Integration } from "../integrations/integration.entity";
import type { WebhookService } from "./webhook.service";
import { Freshness, WebhookSecretView } from "./webhook.types";

@Resolver(() => Integration)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Authorized("admin")
  @Mutation(() => WebhookSecretView, {
    description:
      "Creates or replaces the integration's webhook secret and returns it, the only time it is shown. The previous secret keeps working for 10 minutes (WEBHOOK_SECRET_GRACE_SECONDS).",
  })
  rotateWebhookSecret(@Arg("id", () => ID) id: string): Promise<WebhookSecretView> {
    return this.webhooks.rotate(id);
  }

  @FieldResolver(() => Freshness, {
    description:
      "WEBHOOK when a webhook secret exists and a notification was accepted in the last 24 hours; POLLING otherwise (the sync interval alone keeps the cache current).",
  })
  async freshness(@Root() integration: Integration, @Ctx() context: GraphQLContext) {
    return this.webhooks.freshnessOf(
      await context.loaders.webhookSecretByIntegration.load(integration.id),
    );
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "When a ServiceNow webhook notification was last accepted.",
  })
  async lastWebhookAt(@Root() integration: Integration, @Ctx() context: GraphQLContext) {
    const stored = await context.loaders.webhookSecretByIntegration.load(integration.id);
    return stored?.lastAcceptedAt ?? null;
  }
}
