import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { WriteAllowance } from "../../modules/incident-writes/write-allowance.entity";
import { utcDay } from "../../modules/incident-writes/write-allowance.repository";

/** Transactions each integration used today (UTC), in one statement per response level. */
export function createTransactionsTodayByIntegrationLoader(
  dataSource: DataSource,
): DataLoader<string, number> {
  const allowances = dataSource.getRepository(WriteAllowance);
  return new DataLoader<string, number>(async (ids) => {
    const rows = await allowances.findBy({ integrationId: In([...ids]), day: utcDay(new Date()) });
    const used = new Map(rows.map((row) => [row.integrationId, row.used]));
    return ids.map((id) => used.get(id) ?? 0);
  });
}
