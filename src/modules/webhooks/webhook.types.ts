import { Field, ObjectType, registerEnumType } from "type-graphql";

/** How current an integration's cache is kept. */
export enum Freshness {
  /** A notification was accepted in the last 24 hours: changes arrive within seconds. */
  WEBHOOK = "WEBHOOK",
  /** Only the sync interval keeps it current. */
  POLLING = "POLLING",
}

registerEnumType(Freshness, {
  name: "Freshness",
  description:
    "WEBHOOK when the integration has a webhook secret and a notification was accepted in the last 24 hours; POLLING otherwise.",
});

@ObjectType("WebhookSecret", {
  description: "A new webhook secret: shown once, here, and never again.",
})
export class WebhookSecretView {
  @Field({ description: "The HMAC-SHA256 key ServiceNow signs notifications with." })
  secret: string;

  @Field({ description: "Where the business rule posts its notifications." })
  webhookUrl: string;

  @Field(() => Date)
  createdAt: Date;
}
