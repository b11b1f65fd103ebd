import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { Integration } from "../../modules/integrations/integration.entity";

/** The integration of each id; an unknown id resolves to null. */
export function createIntegrationsByIdLoader(
  dataSource: DataSource,
): DataLoader<string, Integration | null> {
  const integrations = dataSource.getRepository(Integration);
  return new DataLoader<string, Integration | null>(async (ids) => {
    const rows = await integrations.findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
