import "reflect-metadata";

import { resolveAdminToken } from "./auth/access-tokens";
import { type Config, loadConfig, logLevelOfEnvironment } from "./config/config";
import { locationOf } from "./database/database-errors";
import { type Gateway, startGateway } from "./http/gateway.server";
import { createLogger } from "./logging/logger";
import { createAwsSecretsSource } from "./secrets/aws-secrets.factory";
import { loadSecretBox } from "./secrets/secret-key.file";
import { StartupAbortedError } from "./startup/startup.error";
import { describeStartupFailure } from "./startup/startup-failure";

/** Set once the configuration is read, so a failure report can mask its secrets. */
let loadedConfig: Config | null = null;

/** Bootstrap: config → HTTP server → database (waited for, migrations) → schema; SIGTERM drains. */
async function main(): Promise<void> {
  const config = loadConfig();
  loadedConfig = config;
  const logger = createLogger(config.logLevel);
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  const secrets = loadSecretBox(config);
  if (secrets.generatedFile) {
    logger.warn(
      { file: secrets.generatedFile },
      "generated a secret key for stored credentials; back it up or set GATEWAY_SECRET_KEY",
    );
  }
  if (secrets.exposedFile) {
    logger.warn(
      { file: secrets.exposedFile },
      "the secret key file is readable by other users; chmod 600 it",
    );
  }

  // Signals are handled from the start: a SIGTERM while waiting for the database ends the wait.
  const starting = new AbortController();
  let gateway: Gateway | null = null;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    if (gateway === null) {
      starting.abort();
      return;
    }
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  gateway = await startGateway({
    config,
    logger,
    adminToken: admin.token,
    secretBox: secrets.box,
    signal: starting.signal,
    awsSecrets: createAwsSecretsSource(config.aws),
  });
  if (shuttingDown) {
    // The signal came after the database was open but before serving began.
    await gateway.stop();
    process.exit(0);
  }

  if (admin.generated) {
    // Printed once, on the start that created it; it lives in the data directory (0600).
    process.stdout.write(
      [
        "",
        `  ServiceNow GraphQL gateway: ${gateway.graphqlUrl} (Apollo Sandbox in a browser)`,
        `  Admin token (generated, stored in ${admin.file}):`,
        `    ${admin.token}`,
        `  Send it as the header  Authorization: Bearer <token>`,
        "",
      ].join("\n"),
    );
  }
}

/** Values a failure report must never show, even quoted inside an unexpected error. */
function secretsOf(config: Config | null): string[] {
  if (config === null) {
    return [];
  }
  return [
    locationOf(config.database).password,
    config.adminToken,
    config.secretKey,
    ...config.previousSecretKeys,
    ...config.viewerTokens,
    config.aws.credentials?.secretAccessKey ?? null,
    config.aws.credentials?.sessionToken ?? null,
  ].filter((value): value is string => value !== null);
}

main().catch((error: unknown) => {
  if (error instanceof StartupAbortedError) {
    process.exit(0);
  }
  // One line that says what failed, where and what to do; the stack only when asked for.
  const failure = describeStartupFailure(error, secretsOf(loadedConfig));
  // eslint-disable-next-line no-console
  console.error(failure.line);
  if (["debug", "trace"].includes(loadedConfig?.logLevel ?? logLevelOfEnvironment())) {
    // eslint-disable-next-line no-console
    console.error(failure.stack);
  }
  process.exit(1);
});
