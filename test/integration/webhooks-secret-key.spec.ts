import { createHmac, randomBytes } from "node:crypto";

import { WebhookDelivery } from "../../src/modules/webhooks/webhook-delivery.entity";
import { WebhookSecret } from "../../src/modules/webhooks/webhook-secret.entity";
import { keyIdOf, SecretBox } from "../../src/secrets/secret-box";
import { startTestGatewayOn } from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("webhook secrets and GATEWAY_SECRET_KEY rotation", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it("re-encrypts the current and previous webhook secrets under the new key, which alone then verifies; deleting the integration deletes them", async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const first = await startTestGatewayOn(database.config, { secretBox: new SecretBox(oldKey) });
    const created = await first.graphql<{ createIntegration: { id: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "rotating",
          url: "https://acme.service-now.com",
          username: "svc",
          password: "Pa55-word-x",
        },
      },
    );
    const id = created.body.data!.createIntegration.id;
    const rotate = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;
    await first.graphql(rotate, { id });
    const { body } = await first.graphql<{ rotateWebhookSecret: { secret: string } }>(rotate, {
      id,
    });
    const secret = body.data!.rotateWebhookSecret.secret;
    await first.stop();

    const second = await startTestGatewayOn(database.config, {
      secretBox: new SecretBox(newKey, [oldKey]),
    });
    await second.stop();
    const third = await startTestGatewayOn(database.config, { secretBox: new SecretBox(newKey) });
    try {
      const stored = await third.gateway.dataSource
        .getRepository(WebhookSecret)
        .findOneByOrFail({ integrationId: id });
      const payload = JSON.stringify({ table: "incident", sys_id: "abc", operation: "update" });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac("sha256", secret)
        .update(`${timestamp}.${payload}`)
        .digest("hex");
      const response = await fetch(`${third.gateway.url}/webhooks/servicenow/${id}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-gateway-timestamp": timestamp,
          "x-gateway-signature": `sha256=${signature}`,
        },
        body: payload,
      });

      expect(stored.secretCipher.split(".")[1]).toBe(keyIdOf(newKey));
      expect(stored.previousSecretCipher?.split(".")[1]).toBe(keyIdOf(newKey));
      expect(stored.secretCipher).not.toContain(secret);
      expect(response.status).toBe(202);

      await third.graphql(`mutation($id: ID!) { deleteIntegration(id: $id) }`, { id });
      const dataSource = third.gateway.dataSource;
      expect(await dataSource.getRepository(WebhookSecret).countBy({ integrationId: id })).toBe(0);
      expect(await dataSource.getRepository(WebhookDelivery).countBy({ integrationId: id })).toBe(
        0,
      );
      const after = await fetch(`${third.gateway.url}/webhooks/servicenow/${id}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-gateway-timestamp": timestamp,
          "x-gateway-signature": `sha256=${signature}`,
        },
        body: payload,
      });
      expect(after.status).toBe(404);
    } finally {
      await third.stop();
    }
  });
});
