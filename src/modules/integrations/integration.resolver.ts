import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import type { SyncService } from "../../sync/sync.service";
import { SyncRun } from "../../sync/sync-run.entity";
import { ConnectionValidation, Integration } from "./integration.entity";
import { AuthMethod } from "./integration.enums";
import { CreateIntegrationInput, UpdateIntegrationInput } from "./integration.inputs";
import type { IntegrationService } from "./integration.service";
import type { IntegrationConnectionService } from "./integration-connection.service";
import { OAuthAuthorization } from "./oauth-authorization.type";

@Resolver(() => Integration)
export class IntegrationResolver {
  constructor(
    private readonly integrationService: IntegrationService,
    private readonly connectionService: IntegrationConnectionService,
    private readonly syncService: SyncService,
    /** Told of a deletion, so no cached webhook key outlives its integration here. */
    private readonly onDeleted: (id: string) => void = () => undefined,
  ) {}

  @Query(() => [Integration], { description: "Every connected ServiceNow instance, by name." })
  integrations(): Promise<Integration[]> {
    return this.integrationService.list();
  }

  @Query(() => Integration, { nullable: true })
  integration(@Arg("id", () => ID) id: string): Promise<Integration | null> {
    return this.integrationService.get(id);
  }

  @Authorized("admin")
  @Mutation(() => Integration, {
    description: "Saves a new instance connection (validate it next with validateConnection).",
  })
  createIntegration(@Arg("input", () => CreateIntegrationInput) input: CreateIntegrationInput) {
    return this.integrationService.create(input);
  }

  @Authorized("admin")
  @Mutation(() => Integration, {
    description: "Changes settings; omitted fields stay as they are.",
  })
  updateIntegration(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateIntegrationInput) input: UpdateIntegrationInput,
  ) {
    return this.integrationService.update(id, input);
  }

  @Authorized("admin")
  @Mutation(() => Boolean, { description: "Deletes the integration and all its cached data." })
  async deleteIntegration(@Arg("id", () => ID) id: string) {
    await this.syncService.cancel(id, "The integration was deleted");
    const deleted = await this.integrationService.delete(id);
    this.onDeleted(id);
    return deleted;
  }

  @Authorized("admin")
  @Mutation(() => ConnectionValidation, {
    description: "Runs the preflight checks on unsaved settings; nothing is stored.",
  })
  testConnection(@Arg("input", () => CreateIntegrationInput) input: CreateIntegrationInput) {
    return this.connectionService.test(input);
  }

  @Authorized("admin")
  @Mutation(() => ConnectionValidation, {
    description: "Runs the preflight checks, stores the result and sets the status.",
  })
  validateConnection(@Arg("id", () => ID) id: string) {
    return this.connectionService.validate(id);
  }

  @Authorized("admin")
  @Mutation(() => OAuthAuthorization, {
    description: "Starts the OAuth authorization-code flow: open authorizationUrl in a browser.",
  })
  authorizeIntegration(@Arg("id", () => ID) id: string) {
    return this.connectionService.authorize(id);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether credentials are stored (they are never returned).",
  })
  hasCredentials(@Root() integration: Integration): boolean {
    if (integration.awsSecretId) {
      return true;
    }
    return integration.authMethod === AuthMethod.BASIC
      ? Boolean(integration.username && integration.passwordCipher)
      : Boolean(integration.clientId && integration.clientSecretCipher);
  }

  @FieldResolver(() => String, {
    description: "Redirect URL to register in ServiceNow's Application Registry (OAuth).",
  })
  oauthRedirectUrl(): string {
    return this.integrationService.oauthRedirectUrl();
  }

  @FieldResolver(() => SyncRun, { nullable: true, description: "The most recent sync run." })
  lastSyncRun(@Root() integration: Integration, @Ctx() context: GraphQLContext) {
    return context.loaders.lastSyncRunByIntegration.load(integration.id);
  }
}
