import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { WebhookSecret } from "../../modules/webhooks/webhook-secret.entity";

/** Each integration's webhook secret row (for freshness; its ciphers never leave the server). */
export function createWebhookSecretsByIntegrationLoader(
  dataSource: DataSource,
): DataLoader<string, WebhookSecret | null> {
  return new DataLoader<string, WebhookSecret | null>(async (ids) => {
    const rows = await dataSource
      .getRepository(WebhookSecret)
      .findBy({ integrationId: In([...ids]) });
    const byIntegration = new Map(rows.map((row) => [row.integrationId, row]));
    return ids.map((id) => byIntegration.get(id) ?? null);
  });
}
