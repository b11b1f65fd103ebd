import "reflect-metadata";

import path from "node:path";

import { buildGatewaySchema } from "../src/graphql/schema";

/** Re-emits schema.graphql from the resolvers (CI fails when the committed one is stale). */
async function main(): Promise<void> {
  const target = path.resolve(__dirname, "..", "schema.graphql");
  await buildGatewaySchema(undefined, target);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
