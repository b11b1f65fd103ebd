import "reflect-metadata";

import { resolveAdminToken } from "./auth/access-tokens";
import { ConfigError, loadConfig } from "./config/config";
import { startGateway } from "./http/gateway.server";
import { createLogger } from "./logging/logger";
import { loadSecretBox } from "./secrets/secret-key.file";

/** Bootstrap: config → database (migrations) → schema → HTTP server; SIGTERM drains. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  const secrets = loadSecretBox(config);
  if (secrets.generatedFile) {
    logger.warn(
      { file: secrets.generatedFile },
      "generated a secret key for stored credentials; back it up or set GATEWAY_SECRET_KEY",
    );
  }
  const gateway = await startGateway({
    config,
    logger,
    adminToken: admin.token,
    secretBox: secrets.box,
  });

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

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
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
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : error;
  // eslint-disable-next-line no-console
  console.error(message);
  process.exit(1);
});
