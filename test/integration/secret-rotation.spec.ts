import { randomBytes } from "node:crypto";

import { Integration } from "../../src/modules/integrations/integration.entity";
import { keyIdOf, SecretBox } from "../../src/secrets/secret-box";
import { startTestGatewayOn } from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("secret key rotation", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it("re-encrypts stored secrets under the new key at start-up, so the old key can go", async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const password = "rotate-me-Pa55word";

    const first = await startTestGatewayOn(database.config, { secretBox: new SecretBox(oldKey) });
    const { body } = await first.graphql<{ createIntegration: { id: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "rotating",
          url: "https://acme.service-now.com",
          username: "svc",
          password,
        },
      },
    );
    const id = body.data!.createIntegration.id;
    await first.stop();

    const second = await startTestGatewayOn(database.config, {
      secretBox: new SecretBox(newKey, [oldKey]),
    });
    const stored = await second.gateway.dataSource
      .getRepository(Integration)
      .findOneByOrFail({ id });
    await second.stop();

    expect(stored.passwordCipher?.split(".")[1]).toBe(keyIdOf(newKey));
    // Readable with the new key alone: the old one is no longer needed.
    expect(new SecretBox(newKey).decrypt(stored.passwordCipher!, `${id}:password`)).toBe(password);
  });
});
