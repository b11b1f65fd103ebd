import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * AWS Secrets Manager on 127.0.0.1, speaking its JSON protocol (AWS JSON 1.1): a POST to `/`
 * with `X-Amz-Target: secretsmanager.<Operation>` and an `application/x-amz-json-1.1` body,
 * answered with a JSON body, errors as HTTP 400 with `{"__type": "<Code>", "message": …}`.
 * Only GetSecretValue is served. The real `@aws-sdk/client-secrets-manager` talks to it
 * through its endpoint setting; requests are recorded with their SigV4 credential scope.
 */

export const FAKE_AWS_ACCOUNT = "123456789012";

export interface FakeSecretsManagerRequest {
  readonly target: string;
  readonly secretId: string | undefined;
  /** `Credential=<key>/<date>/<region>/<service>/aws4_request` of the Authorization header. */
  readonly credentialScope: string | null;
  /** The SDK's `amz-sdk-request` header (`attempt=1; max=3`). */
  readonly sdkRequest: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

/** An error answer: the AWS error code (`__type`) and its message. */
export interface FakeSecretsManagerError {
  readonly type: string;
  readonly message: string;
  /** 400 unless told (AWS answers client errors and throttling with 400). */
  readonly status?: number;
}

export interface FakeSecretsManager {
  readonly url: string;
  readonly region: string;
  readonly requests: FakeSecretsManagerRequest[];
  /** Stores (or rotates: a new VersionId) a secret; returns its ARN. */
  putSecret(name: string, secretString: string): string;
  /** Every GetSecretValue of this secret (by name or ARN) fails so until `clearFailures`. */
  failWith(name: string, error: FakeSecretsManagerError): void;
  clearFailures(): void;
  arnOf(name: string): string;
  /** GetSecretValue requests for this secret (by name or ARN). */
  readsOf(name: string): FakeSecretsManagerRequest[];
  close(): Promise<void>;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly secretString: string;
  readonly versionId: string;
  readonly createdDate: number;
}

const CONTENT_TYPE = "application/x-amz-json-1.1";

export async function startFakeSecretsManager(region = "eu-west-1"): Promise<FakeSecretsManager> {
  const secrets = new Map<string, StoredSecret>();
  const failures = new Map<string, FakeSecretsManagerError>();
  const requests: FakeSecretsManagerRequest[] = [];

  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${region}:${FAKE_AWS_ACCOUNT}:secret:${name}-AbCdEf`;
  /** AWS accepts a secret's name or its full ARN as SecretId. */
  const nameOf = (secretId: string) => {
    for (const secret of secrets.values()) {
      if (secret.arn === secretId) {
        return secret.name;
      }
    }
    return secretId;
  };

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    errorType?: string,
  ): void => {
    response.writeHead(status, {
      "content-type": CONTENT_TYPE,
      "x-amzn-requestid": randomUUID(),
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    response.end(JSON.stringify(body));
  };
  const sendError = (response: ServerResponse, error: FakeSecretsManagerError): void =>
    send(response, error.status ?? 400, { __type: error.type, message: error.message }, error.type);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      let input: { SecretId?: unknown } = {};
      try {
        input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as typeof input;
      } catch {
        sendError(res, { type: "SerializationException", message: "Malformed JSON body" });
        return;
      }
      const secretId = typeof input.SecretId === "string" ? input.SecretId : undefined;
      const authorization = String(req.headers.authorization ?? "");
      requests.push({
        target,
        secretId,
        credentialScope: /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? null,
        sdkRequest: req.headers["amz-sdk-request"] as string | undefined,
        headers: req.headers,
      });
      if (req.method !== "POST" || req.headers["content-type"] !== CONTENT_TYPE) {
        sendError(res, { type: "UnknownOperationException", message: "Expected AWS JSON 1.1" });
        return;
      }
      if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
        sendError(res, {
          type: "MissingAuthenticationTokenException",
          message: "Missing Authentication Token",
        });
        return;
      }
      if (target !== "secretsmanager.GetSecretValue") {
        sendError(res, {
          type: "UnknownOperationException",
          message: `The fake serves GetSecretValue only, not ${target}`,
        });
        return;
      }
      if (secretId === undefined) {
        sendError(res, { type: "InvalidParameterException", message: "SecretId is required" });
        return;
      }
      const name = nameOf(secretId);
      const failure = failures.get(name);
      if (failure) {
        sendError(res, failure);
        return;
      }
      const secret = secrets.get(name);
      if (!secret) {
        sendError(res, {
          type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      send(res, 200, {
        ARN: secret.arn,
        Name: secret.name,
        SecretString: secret.secretString,
        VersionId: secret.versionId,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: secret.createdDate,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    region,
    requests,
    putSecret(name, secretString) {
      const arn = arnOf(name);
      secrets.set(name, {
        name,
        arn,
        secretString,
        versionId: randomUUID(),
        createdDate: Date.now() / 1000,
      });
      return arn;
    },
    failWith(name, error) {
      failures.set(name, error);
    },
    clearFailures() {
      failures.clear();
    },
    arnOf,
    readsOf(name) {
      return requests.filter(
        (request) =>
          request.target === "secretsmanager.GetSecretValue" &&
          request.secretId !== undefined &&
          nameOf(request.secretId) === name,
      );
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
