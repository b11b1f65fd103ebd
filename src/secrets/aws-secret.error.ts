export const AWS_SECRET_ERROR_CODES = [
  /** ResourceNotFoundException: no such secret (name or ARN) in that region. */
  "AWS_SECRET_NOT_FOUND",
  /** AccessDeniedException: the gateway's identity may not call GetSecretValue on it. */
  "AWS_ACCESS_DENIED",
  /** DecryptionFailure: Secrets Manager could not decrypt it with its KMS key (kms:Decrypt). */
  "AWS_DECRYPTION_FAILED",
  /** ThrottlingException and friends, still refused after the SDK's retries. */
  "AWS_THROTTLED",
  /** No credentials in the default chain, or AWS rejected the ones found. */
  "AWS_CREDENTIALS",
  /** No region configured. */
  "AWS_NOT_CONFIGURED",
  /** The Secrets Manager endpoint did not answer (DNS, TCP, TLS, timeout). */
  "AWS_UNREACHABLE",
  /** Any other refusal (InvalidRequestException for a secret marked for deletion, …). */
  "AWS_REQUEST_FAILED",
  /** SecretString is not a JSON object of key/value pairs (or the secret is binary). */
  "AWS_SECRET_NOT_JSON",
  /** The key/value pairs hold neither a password nor a client secret. */
  "AWS_SECRET_MISSING_KEY",
] as const;

export type AwsSecretErrorCode = (typeof AWS_SECRET_ERROR_CODES)[number];

/**
 * Reading ServiceNow credentials from AWS Secrets Manager failed. The message says what to fix
 * in words (IAM permission, secret id, key names) and never carries the secret's content; the
 * AWS error name and request id are kept for the operator.
 */
export class AwsSecretError extends Error {
  override readonly name = "AwsSecretError";

  constructor(
    readonly code: AwsSecretErrorCode,
    message: string,
    /** The AWS error code (`AccessDeniedException`, …) when AWS answered. */
    readonly awsErrorName?: string,
    readonly awsRequestId?: string,
  ) {
    super(message);
  }
}

export function isAwsSecretError(error: unknown): error is AwsSecretError {
  return error instanceof AwsSecretError;
}
