import { execFileSync } from "node:child_process";
import path from "node:path";

import { loadConfig } from "../../src/config/config";
import { type AwsSecretError, isAwsSecretError } from "../../src/secrets/aws-secret.error";
import {
  type AwsSecretsSettings,
  createAwsSecretsSource,
} from "../../src/secrets/aws-secrets.factory";
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from "../support/fake-secrets-manager.server";

const ACCESS_KEY = "AKIAFAKEFAKEFAKE0001";
const HELD_PASSWORD = "held-in-aws-Pa55!-7c1d";

let aws: FakeSecretsManager;

beforeAll(async () => {
  aws = await startFakeSecretsManager("eu-west-1");
});

afterAll(async () => {
  await aws.close();
});

beforeEach(() => {
  aws.clearFailures();
});

function settings(overrides: Partial<AwsSecretsSettings> = {}): AwsSecretsSettings {
  return {
    secretCacheTtlMs: 1000,
    region: aws.region,
    endpoint: aws.url,
    credentials: {
      accessKeyId: ACCESS_KEY,
      secretAccessKey: "fake-secret-key",
      sessionToken: null,
    },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<AwsSecretError> {
  const error = await promise.then(
    () => new Error("expected the read to fail"),
    (caught: unknown) => caught,
  );
  if (!isAwsSecretError(error)) {
    throw error;
  }
  return error;
}

describe("AwsSecretsSource with the real SDK against a local Secrets Manager", () => {
  it("maps key/value pairs and caches them until AWS_SECRET_CACHE_SECONDS have passed", async () => {
    const arn = aws.putSecret(
      "sn/cache",
      JSON.stringify({ username: "svc", password: "p1", client_id: "c", client_secret: "s" }),
    );
    let now = 0;
    const source = createAwsSecretsSource(settings(), { now: () => now });

    expect(await source.credentials(arn)).toEqual({
      username: "svc",
      password: "p1",
      clientId: "c",
      clientSecret: "s",
    });
    aws.putSecret("sn/cache", JSON.stringify({ username: "svc", password: "p2" }));
    now = 999;
    expect((await source.credentials(arn)).password).toBe("p1");
    expect(aws.readsOf("sn/cache")).toHaveLength(1);
    now = 1000;
    expect((await source.credentials(arn)).password).toBe("p2");
    expect(aws.readsOf("sn/cache")).toHaveLength(2);
  });

  it("signs with the configured region and keys and sends the JSON protocol", async () => {
    const arn = aws.putSecret("sn/signed", JSON.stringify({ password: "x" }));
    await createAwsSecretsSource(settings()).credentials(arn);

    const [read] = aws.readsOf("sn/signed");
    expect(read.credentialScope).toMatch(
      new RegExp(`^${ACCESS_KEY}/\\d{8}/eu-west-1/secretsmanager/aws4_request$`),
    );
    expect(read.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(read.secretId).toBe(arn);
  });

  it("reads endpoint, region and keys from the environment through Config", async () => {
    aws.putSecret("sn/env", JSON.stringify({ username: "from-env", password: "x" }));
    const config = loadConfig({
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: "fake-secret-key",
    });
    const source = createAwsSecretsSource(config.aws);

    expect((await source.credentials("sn/env")).username).toBe("from-env");
  });

  it("rejects AWS_SECRET_NOT_FOUND when no secret has that id", async () => {
    const error = await failure(createAwsSecretsSource(settings()).credentials("sn/absent"));

    expect(error.code).toBe("AWS_SECRET_NOT_FOUND");
    expect(error.awsErrorName).toBe("ResourceNotFoundException");
    expect(error.message).toMatch(
      /has no secret "sn\/absent" \(ResourceNotFoundException\): check awsSecretId/,
    );
  });

  it.each([
    [
      "AccessDeniedException",
      "AWS_ACCESS_DENIED",
      /may not read the secret .*\(AccessDeniedException: User: arn:aws:sts::.*\): allow secretsmanager:GetSecretValue on it, and kms:Decrypt/,
    ],
    ["DecryptionFailure", "AWS_DECRYPTION_FAILED", /could not decrypt .* kms:Decrypt/],
    ["UnrecognizedClientException", "AWS_CREDENTIALS", /rejected the gateway's AWS credentials/],
    [
      "InvalidRequestException",
      "AWS_REQUEST_FAILED",
      /refused to read the secret .*not authorized/,
    ],
  ])("rejects %s as %s with the fix in words", async (type, code, words) => {
    const arn = aws.putSecret(`sn/${type}`, JSON.stringify({ password: HELD_PASSWORD }));
    aws.failWith(`sn/${type}`, {
      type,
      message: `User: arn:aws:sts::123456789012:assumed-role/gateway/i-1 is not authorized (${type})`,
    });

    const error = await failure(createAwsSecretsSource(settings()).credentials(arn));

    expect(error.code).toBe(code);
    expect(error.awsErrorName).toBe(type);
    expect(error.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toMatch(words);
    expect(error.message).not.toContain(HELD_PASSWORD);
  });

  it("rejects AWS_THROTTLED once the SDK's retries are refused too", async () => {
    const arn = aws.putSecret("sn/throttled", JSON.stringify({ password: HELD_PASSWORD }));
    aws.failWith("sn/throttled", { type: "ThrottlingException", message: "Rate exceeded" });

    const error = await failure(createAwsSecretsSource(settings()).credentials(arn));

    expect(error.code).toBe("AWS_THROTTLED");
    expect(error.message).toMatch(/throttled reading the secret .* after 3 attempts/);
    expect(aws.readsOf("sn/throttled").map((read) => read.sdkRequest)).toEqual([
      "attempt=1; max=3",
      "attempt=2; max=3",
      "attempt=3; max=3",
    ]);
  });

  it.each([
    [
      "plain text",
      HELD_PASSWORD,
      "AWS_SECRET_NOT_JSON",
      /is not a JSON object of key\/value pairs/,
    ],
    ["a JSON array", JSON.stringify([HELD_PASSWORD]), "AWS_SECRET_NOT_JSON", /not a JSON object/],
    [
      "no password or client_secret",
      JSON.stringify({ username: "svc", Password: HELD_PASSWORD }),
      "AWS_SECRET_MISSING_KEY",
      /has no non-empty password or client_secret key \(keys found: username, Password\)/,
    ],
  ])(
    "rejects a secret holding %s without echoing its content",
    async (_what, body, code, words) => {
      const arn = aws.putSecret("sn/malformed", body);

      const error = await failure(createAwsSecretsSource(settings()).credentials(arn));

      expect(error.code).toBe(code);
      expect(error.message).toMatch(words);
      expect(
        JSON.stringify({ ...error, message: error.message, stack: error.stack }),
      ).not.toContain(HELD_PASSWORD);
    },
  );

  it("rejects AWS_UNREACHABLE when nothing answers at the endpoint", async () => {
    const error = await failure(
      createAwsSecretsSource(settings({ endpoint: "http://127.0.0.1:9" })).credentials("sn/x"),
    );

    expect(error.code).toBe("AWS_UNREACHABLE");
    expect(error.message).toContain("http://127.0.0.1:9 (ECONNREFUSED)");
  });

  it("rejects AWS_NOT_CONFIGURED when no region is set", async () => {
    const error = await failure(
      createAwsSecretsSource(settings({ region: null })).credentials("sn/x"),
    );

    expect(error.code).toBe("AWS_NOT_CONFIGURED");
    expect(error.message).toContain("AWS_REGION");
  });

  it("loads the SDK on the first read of an AWS-held secret, not before", () => {
    const root = path.resolve(__dirname, "../..");
    const script = `
      const { createAwsSecretsSource } = require("./src/secrets/aws-secrets.factory");
      const loaded = () => Object.keys(require.cache).some((file) => file.includes("client-secrets-manager"));
      const source = createAwsSecretsSource({ secretCacheTtlMs: 0, region: "eu-west-1", endpoint: "http://127.0.0.1:9", credentials: null });
      const before = loaded();
      source.credentials("sn/x").catch(() => undefined).then(() => {
        process.stdout.write(JSON.stringify({ before, after: loaded() }));
      });
    `;
    const output = execFileSync(process.execPath, ["-r", "@swc-node/register", "-e", script], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: "a",
        AWS_SECRET_ACCESS_KEY: "b",
      },
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual({ before: false, after: true });
  });
});
