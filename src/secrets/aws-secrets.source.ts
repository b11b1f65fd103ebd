import { AwsSecretError, type AwsSecretErrorCode } from "./aws-secret.error";

export interface ServiceNowCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** GetSecretValue, as much of it as the source needs (the SDK client behind the factory). */
export interface SecretValueReader {
  getSecretValue(secretId: string): Promise<{ SecretString?: string; SecretBinary?: unknown }>;
}

export interface AwsSecretsSourceOptions {
  readonly ttlMs: number;
  readonly now?: () => number;
  /** Where requests go, for messages: the configured endpoint or the region's. */
  readonly endpointLabel?: string;
}

const KEY_ALIASES: Record<string, keyof ServiceNowCredentials> = {
  username: "username",
  user_name: "username",
  password: "password",
  client_id: "clientId",
  clientId: "clientId",
  client_secret: "clientSecret",
  clientSecret: "clientSecret",
};

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ThrottledException",
]);
const REJECTED_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "MissingAuthenticationTokenException",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly requestId?: string;
  readonly attempts?: number;
}

function shapeOf(error: unknown): SdkErrorShape {
  if (typeof error !== "object" || error === null) {
    return { name: "Error", message: String(error) };
  }
  const fields = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { requestId?: unknown; attempts?: unknown };
  };
  const message = typeof fields.message === "string" ? fields.message : String(error);
  // Node's socket errors carry `code`; the SDK sometimes keeps only their text
  // ("AWS SDK error wrapper for Error: connect ECONNREFUSED …").
  const code =
    typeof fields.code === "string"
      ? fields.code
      : [...NETWORK_CODES].find((candidate) => message.includes(candidate));
  return {
    name: typeof fields.name === "string" ? fields.name : "Error",
    message,
    code,
    requestId:
      typeof fields.$metadata?.requestId === "string" ? fields.$metadata.requestId : undefined,
    attempts:
      typeof fields.$metadata?.attempts === "number" ? fields.$metadata.attempts : undefined,
  };
}

/** AWS's own message, one line and bounded; it names identities and ARNs, never a secret value. */
function awsWords(message: string): string {
  const line = message.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Reads ServiceNow credentials kept as key/value pairs in AWS Secrets Manager (`username` /
 * `password` or `client_id` / `client_secret`), caching each secret for the TTL so a sync does
 * not call AWS per request; a rotated secret is read again once its cached copy expires.
 * Failures are AwsSecretErrors whose message says what to fix; the secret's content is never
 * part of one (a JSON parse error would quote it, so it is dropped).
 */
export class AwsSecretsSource {
  private readonly cache = new Map<string, { value: ServiceNowCredentials; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly endpointLabel: string;

  constructor(
    private readonly reader: SecretValueReader,
    options: AwsSecretsSourceOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    this.endpointLabel = options.endpointLabel ?? "its regional endpoint";
  }

  async credentials(secretId: string): Promise<ServiceNowCredentials> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expiresAt > this.now()) {
      return cached.value;
    }
    let output: { SecretString?: string; SecretBinary?: unknown };
    try {
      output = await this.reader.getSecretValue(secretId);
    } catch (error) {
      throw this.translate(error, secretId);
    }
    const value = parseCredentials(secretId, output);
    this.cache.set(secretId, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  forget(secretId: string): void {
    this.cache.delete(secretId);
  }

  private translate(error: unknown, secretId: string): AwsSecretError {
    const sdk = shapeOf(error);
    const fail = (code: AwsSecretErrorCode, message: string) =>
      new AwsSecretError(code, message, sdk.name, sdk.requestId);
    const quoted = `"${secretId}"`;
    if (sdk.name === "ResourceNotFoundException") {
      return fail(
        "AWS_SECRET_NOT_FOUND",
        `AWS Secrets Manager has no secret ${quoted} (ResourceNotFoundException): check awsSecretId — the secret's full ARN, or its name in the gateway's region (AWS_REGION).`,
      );
    }
    if (sdk.name === "AccessDeniedException") {
      return fail(
        "AWS_ACCESS_DENIED",
        `The gateway's AWS identity may not read the secret ${quoted} (AccessDeniedException: ${awsWords(sdk.message)}): allow secretsmanager:GetSecretValue on it, and kms:Decrypt on its KMS key if that key is customer-managed.`,
      );
    }
    if (sdk.name === "DecryptionFailure") {
      return fail(
        "AWS_DECRYPTION_FAILED",
        `AWS Secrets Manager could not decrypt the secret ${quoted} (DecryptionFailure: ${awsWords(sdk.message)}): allow the gateway's AWS identity kms:Decrypt on the secret's customer-managed KMS key.`,
      );
    }
    if (THROTTLING.has(sdk.name)) {
      const attempts = sdk.attempts !== undefined ? ` after ${sdk.attempts} attempts` : "";
      return fail(
        "AWS_THROTTLED",
        `AWS Secrets Manager throttled reading the secret ${quoted}${attempts} (${sdk.name}): the account's request rate is exhausted, probably by other callers; the next sync tries again.`,
      );
    }
    if (REJECTED_CREDENTIALS.has(sdk.name)) {
      return fail(
        "AWS_CREDENTIALS",
        `AWS rejected the gateway's AWS credentials (${sdk.name}: ${awsWords(sdk.message)}): check the access key, or the role the gateway runs with.`,
      );
    }
    if (sdk.name === "CredentialsProviderError") {
      return fail(
        "AWS_CREDENTIALS",
        "The gateway found no AWS credentials: give its process a role (ECS task role, EC2 instance profile, IRSA) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE).",
      );
    }
    if (/region is missing/i.test(sdk.message)) {
      return fail(
        "AWS_NOT_CONFIGURED",
        "No AWS region is configured for Secrets Manager: set AWS_REGION (e.g. eu-west-1).",
      );
    }
    if ((sdk.code && NETWORK_CODES.has(sdk.code)) || sdk.name === "TimeoutError") {
      return fail(
        "AWS_UNREACHABLE",
        `AWS Secrets Manager is unreachable at ${this.endpointLabel} (${sdk.code ?? sdk.name}): check the network path, or AWS_ENDPOINT_URL_SECRETS_MANAGER for a VPC endpoint.`,
      );
    }
    return fail(
      "AWS_REQUEST_FAILED",
      `AWS Secrets Manager refused to read the secret ${quoted} (${sdk.name}: ${awsWords(sdk.message)}).`,
    );
  }
}

const HOW_TO_STORE =
  "store username and password (BASIC) or client_id and client_secret (OAUTH) as key/value pairs";

function parseCredentials(
  secretId: string,
  output: { SecretString?: string; SecretBinary?: unknown },
): ServiceNowCredentials {
  const quoted = `"${secretId}"`;
  if (output.SecretString === undefined || output.SecretString === "") {
    throw new AwsSecretError(
      "AWS_SECRET_NOT_JSON",
      output.SecretBinary !== undefined
        ? `The AWS secret ${quoted} holds binary data, not key/value pairs: ${HOW_TO_STORE}.`
        : `The AWS secret ${quoted} is empty: ${HOW_TO_STORE}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.SecretString);
  } catch {
    // Not the parser's message: it quotes the text it choked on, i.e. the secret.
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AwsSecretError(
      "AWS_SECRET_NOT_JSON",
      `The AWS secret ${quoted} is not a JSON object of key/value pairs: ${HOW_TO_STORE} (the console's "Key/value" editor writes that form).`,
    );
  }
  const value: Record<string, string> = {};
  for (const [key, raw] of Object.entries(parsed)) {
    const target = KEY_ALIASES[key];
    if (target && typeof raw === "string" && raw !== "") {
      value[target] = raw;
    }
  }
  if (value.password === undefined && value.clientSecret === undefined) {
    const keys = Object.keys(parsed).map((key) =>
      key.length > 40 ? `${key.slice(0, 37)}...` : key,
    );
    const found = keys.length > 0 ? `keys found: ${keys.slice(0, 10).join(", ")}` : "no keys";
    throw new AwsSecretError(
      "AWS_SECRET_MISSING_KEY",
      `The AWS secret ${quoted} has no non-empty password or client_secret key (${found}): ${HOW_TO_STORE}.`,
    );
  }
  return value;
}
