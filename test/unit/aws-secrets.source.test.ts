import { AwsSecretError, AwsSecretsSource } from "../../src/secrets/aws-secrets.source";

function clientAnswering(answers: Array<() => unknown>) {
  const calls: unknown[] = [];
  return {
    calls,
    send: async (command: unknown) => {
      calls.push(command);
      const next = answers.shift();
      if (!next) {
        throw new Error("unexpected call");
      }
      return next();
    },
  };
}

describe("AwsSecretsSource", () => {
  it("maps ServiceNow key/value pairs and caches them for the TTL", async () => {
    let now = 0;
    const client = clientAnswering([
      () => ({
        SecretString: JSON.stringify({
          username: "svc",
          password: "p1",
          client_id: "c",
          client_secret: "s",
        }),
      }),
      () => ({ SecretString: JSON.stringify({ username: "svc", password: "p2" }) }),
    ]);
    const source = new AwsSecretsSource(client, 1000, () => now);
    expect(await source.credentials("arn:1")).toEqual({
      username: "svc",
      password: "p1",
      clientId: "c",
      clientSecret: "s",
    });
    now = 999;
    expect((await source.credentials("arn:1")).password).toBe("p1");
    expect(client.calls).toHaveLength(1);
    now = 1001;
    expect((await source.credentials("arn:1")).password).toBe("p2");
    expect(client.calls).toHaveLength(2);
  });

  it("refuses a secret that is not a JSON object, without echoing its content", async () => {
    const source = new AwsSecretsSource(
      clientAnswering([() => ({ SecretString: "plain-text-password" })]),
      1000,
    );
    const error = await source.credentials("arn:2").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsSecretError);
    expect(String(error)).not.toContain("plain-text-password");
  });

  it("explains an AWS refusal with the SDK's error name", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform GetSecretValue"), {
      name: "AccessDeniedException",
    });
    const source = new AwsSecretsSource(
      clientAnswering([
        () => {
          throw denied;
        },
      ]),
      1000,
    );
    await expect(source.credentials("arn:3")).rejects.toThrow(/AccessDeniedException/);
  });
});
