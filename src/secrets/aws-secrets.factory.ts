import type { SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";

import { AwsSecretsSource, type SecretValueReader } from "./aws-secrets.source";

export interface AwsStaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | null;
}

/** The gateway's AWS settings (Config.aws); null fields leave the SDK's defaults in charge. */
export interface AwsSecretsSettings {
  readonly secretCacheTtlMs: number;
  readonly region: string | null;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER: a VPC endpoint, or a local one in tests. */
  readonly endpoint: string | null;
  /** Keys from the environment; null: the SDK's default credential chain. */
  readonly credentials: AwsStaticCredentials | null;
}

/** The SDK client's settings: explicit values from Config, SDK defaults for the rest. */
export function secretsManagerClientConfig(
  settings: AwsSecretsSettings,
): SecretsManagerClientConfig {
  return {
    ...(settings.region !== null ? { region: settings.region } : {}),
    ...(settings.endpoint !== null ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials !== null
      ? {
          credentials: {
            accessKeyId: settings.credentials.accessKeyId,
            secretAccessKey: settings.credentials.secretAccessKey,
            ...(settings.credentials.sessionToken !== null
              ? { sessionToken: settings.credentials.sessionToken }
              : {}),
          },
        }
      : {}),
    // Throttling and 5xx are retried by the SDK (standard mode); a sync must not hang on AWS.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  };
}

/**
 * The gateway's AWS Secrets Manager source. The SDK is loaded, and its client created, on the
 * first read of an AWS-held secret only: gateways without one never pay for it (about 14 MiB
 * and a start-up warning).
 */
export function createAwsSecretsSource(
  settings: AwsSecretsSettings,
  options: { now?: () => number } = {},
): AwsSecretsSource {
  let loading: Promise<SecretValueReader> | null = null;
  const load = async (): Promise<SecretValueReader> => {
    const sdk = await import("@aws-sdk/client-secrets-manager");
    const client = new sdk.SecretsManagerClient(secretsManagerClientConfig(settings));
    return {
      getSecretValue: (secretId) =>
        client.send(new sdk.GetSecretValueCommand({ SecretId: secretId })),
    };
  };
  const reader: SecretValueReader = {
    async getSecretValue(secretId) {
      loading ??= load();
      return (await loading).getSecretValue(secretId);
    },
  };
  return new AwsSecretsSource(reader, {
    ttlMs: settings.secretCacheTtlMs,
    now: options.now,
    endpointLabel:
      settings.endpoint ??
      (settings.region !== null ? `its ${settings.region} endpoint` : "its regional endpoint"),
  });
}
