import type { DataSource, Repository } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import { Integration } from "./integration.entity";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class IntegrationService {
  private readonly integrations: Repository<Integration>;

  constructor(
    dataSource: DataSource,
    private readonly publicUrl: string,
  ) {
    this.integrations = dataSource.getRepository(Integration);
  }

  list(): Promise<Integration[]> {
    return this.integrations.find({ order: { name: "ASC" } });
  }

  get(id: string): Promise<Integration | null> {
    if (!UUID_PATTERN.test(id)) {
      throw GatewayError.badInput("id", "id must be an integration id (a UUID)");
    }
    return this.integrations.findOneBy({ id });
  }

  /** The redirect URL to register in ServiceNow's Application Registry. */
  oauthRedirectUrl(): string {
    return `${this.publicUrl}/oauth/servicenow/callback`;
  }
}
