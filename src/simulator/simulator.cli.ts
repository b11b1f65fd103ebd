import { createLogger } from "../logging/logger";
import type { DatasetOptions } from "./simulator.generator";
import { createSimulator } from "./simulator.server";

/**
 * Standalone simulator: `npm run simulator -- --incidents 20000 --port 8090`.
 * Every flag can also come from the environment (PORT, SIM_SEED, SIM_INCIDENTS, …).
 */

interface Flag {
  readonly env: string;
  readonly fallback: string;
  readonly help: string;
}

const FLAGS = {
  port: { env: "PORT", fallback: "8090", help: "port to listen on (0 picks a free one)" },
  host: { env: "SIM_HOST", fallback: "127.0.0.1", help: "address to listen on" },
  seed: { env: "SIM_SEED", fallback: "1", help: "dataset seed" },
  groups: { env: "SIM_GROUPS", fallback: "12", help: "assignment groups" },
  users: { env: "SIM_USERS", fallback: "200", help: "users" },
  incidents: { env: "SIM_INCIDENTS", fallback: "5000", help: "incidents" },
  changes: { env: "SIM_CHANGES", fallback: "500", help: "change requests" },
  approvals: { env: "SIM_APPROVALS_PER_CHANGE", fallback: "2", help: "approvers per change" },
  journal: { env: "SIM_JOURNAL_PER_RECORD", fallback: "2", help: "journal entries per record" },
  days: { env: "SIM_DAYS", fallback: "365", help: "days of history, ending today (UTC)" },
  "time-zone": {
    env: "SIM_TIME_ZONE",
    fallback: "UTC",
    help: "instance default time zone (users with an empty time_zone)",
  },
  "integration-time-zone": {
    env: "SIM_INTEGRATION_TIME_ZONE",
    fallback: "America/Los_Angeles",
    help: "time_zone of the integration user",
  },
  "client-id": { env: "SIM_CLIENT_ID", fallback: "gateway", help: "OAuth client id" },
  "client-secret": { env: "SIM_CLIENT_SECRET", fallback: "gateway-secret", help: "OAuth secret" },
  "redirect-uri": {
    env: "SIM_REDIRECT_URI",
    fallback: "http://127.0.0.1:4000/oauth/callback",
    help: "OAuth redirect URIs, comma-separated",
  },
  "client-credentials": {
    env: "SIM_CLIENT_CREDENTIALS",
    fallback: "false",
    help: "enable the client_credentials grant (true|false)",
  },
  "webhook-url": {
    env: "SIM_WEBHOOK_URL",
    fallback: "",
    help: "gateway webhook URL the business rules post to (empty: none)",
  },
  "webhook-secret": {
    env: "SIM_WEBHOOK_SECRET",
    fallback: "",
    help: "the webhook secret rotateWebhookSecret returned",
  },
  "log-level": { env: "LOG_LEVEL", fallback: "info", help: "pino log level" },
} satisfies Record<string, Flag>;

type FlagName = keyof typeof FLAGS;

function usage(): string {
  const lines = Object.entries(FLAGS).map(
    ([name, flag]) => `  --${name.padEnd(22)} ${flag.help} [${flag.env}, default ${flag.fallback}]`,
  );
  return `Usage: simulator [flags]\n${lines.join("\n")}`;
}

function isFlagName(name: string): name is FlagName {
  return name in FLAGS;
}

function readFlags(argv: readonly string[], env: NodeJS.ProcessEnv): Record<FlagName, string> {
  const given = new Map<FlagName, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(usage());
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !isFlagName(match[1])) {
      throw new Error(`Unknown argument ${arg}\n${usage()}`);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) {
      throw new Error(`--${match[1]} needs a value`);
    }
    given.set(match[1], value);
  }
  const flags = {} as Record<FlagName, string>;
  for (const [name, flag] of Object.entries(FLAGS) as [FlagName, Flag][]) {
    flags[name] = given.get(name) ?? env[flag.env] ?? flag.fallback;
  }
  return flags;
}

function integer(flags: Record<FlagName, string>, name: FlagName): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a non-negative integer, got "${flags[name]}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const flags = readFlags(process.argv.slice(2), process.env);
  const logger = createLogger(flags["log-level"]);
  const sim = createSimulator({
    logger,
    instanceTimeZone: flags["time-zone"],
    clientCredentialsGrant: flags["client-credentials"] === "true",
    browserUser: "admin",
  });
  sim.addUser({
    userName: "admin",
    password: "admin",
    roles: ["admin"],
    name: "System Administrator",
  });
  sim.addUser({
    userName: "svc.gateway",
    password: "gateway",
    roles: ["itil", "snc_basic_auth_api_access"],
    name: "Gateway Integration",
    timeZone: flags["integration-time-zone"],
    webServiceAccessOnly: true,
  });
  const redirectUris = flags["redirect-uri"].split(",").map((uri) => uri.trim());
  sim.addOAuthClient({
    clientId: flags["client-id"],
    clientSecret: flags["client-secret"],
    redirectUris,
    clientCredentialsUser: "svc.gateway",
  });

  // History ends at today's UTC midnight, so the same seed gives the same data all day.
  const end = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
  const start = new Date(end.getTime() - integer(flags, "days") * 86_400_000);
  const dataset: DatasetOptions = {
    seed: integer(flags, "seed"),
    groups: integer(flags, "groups"),
    users: integer(flags, "users"),
    incidents: integer(flags, "incidents"),
    changes: integer(flags, "changes"),
    approvalsPerChange: integer(flags, "approvals"),
    journalPerRecord: integer(flags, "journal"),
    start,
    end,
  };
  const started = Date.now();
  const summary = sim.generate(dataset);
  const { url } = await sim.start(integer(flags, "port"), flags.host);
  if (flags["webhook-url"] !== "") {
    sim.configureWebhook({ url: flags["webhook-url"], secret: flags["webhook-secret"] });
  }

  console.log(`ServiceNow simulator listening on ${url}`);
  console.log(
    `  dataset   seed ${dataset.seed}, ${summary.start} .. ${summary.end} UTC, ` +
      `generated in ${Date.now() - started} ms`,
  );
  for (const [table, count] of Object.entries(summary.counts)) {
    console.log(`            ${table.padEnd(22)} ${count}`);
  }
  console.log(`  basic     admin / admin (instance zone ${sim.instanceTimeZone})`);
  console.log(`  basic     svc.gateway / gateway (time zone ${flags["integration-time-zone"]})`);
  console.log(
    `  oauth     client_id ${flags["client-id"]}, client_secret ${flags["client-secret"]}`,
  );
  console.log(`            token ${url}/oauth_token.do, authorize ${url}/oauth_auth.do`);
  console.log(`            redirect URIs ${redirectUris.join(", ")}`);
  console.log(
    `  controls  ${url}/__sim/ (records, faults, clock, expire-tokens, requests, webhook)`,
  );
  if (flags["webhook-url"] !== "") {
    console.log(`  webhooks  business rules post to ${flags["webhook-url"]}`);
  }

  const shutdown = (signal: string): void => {
    console.log(`${signal}: stopping the simulator`);
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
