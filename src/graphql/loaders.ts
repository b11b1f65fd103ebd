import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import {
  createRecordBySysIdLoader,
  createRecordsByReferenceLoader,
  type RecordKey,
} from "../database/record-loaders";
import { Approval } from "../modules/approvals/approval.entity";
import { ChangeRequest } from "../modules/change-requests/change-request.entity";
import { Incident } from "../modules/incidents/incident.entity";
import { Integration } from "../modules/integrations/integration.entity";
import {
  createJournalEntriesByRecordLoader,
  type JournalEntriesOptions,
} from "../modules/journal-entries/journal-entries-by-record.loader";
import type { JournalEntry } from "../modules/journal-entries/journal-entry.entity";
import { UserGroup } from "../modules/user-groups/user-group.entity";
import { User } from "../modules/users/user.entity";
import { SyncRun } from "../sync/sync-run.entity";

/** Every relation of the API resolves through one of these, created fresh per request. */
export interface Loaders {
  readonly userBySysId: DataLoader<RecordKey, User | null, string>;
  readonly groupBySysId: DataLoader<RecordKey, UserGroup | null, string>;
  readonly changeRequestBySysId: DataLoader<RecordKey, ChangeRequest | null, string>;
  readonly approvalsByDocument: DataLoader<RecordKey, Approval[], string>;
  readonly incidentsCausedByChange: DataLoader<RecordKey, Incident[], string>;
  readonly integrationById: DataLoader<string, Integration | null>;
  readonly lastSyncRunByIntegration: DataLoader<string, SyncRun | null>;
  journalEntriesByRecord(
    options: JournalEntriesOptions,
  ): DataLoader<RecordKey, JournalEntry[], string>;
}

export function createLoaders(dataSource: DataSource): Loaders {
  const journalLoaders = new Map<string, DataLoader<RecordKey, JournalEntry[], string>>();
  const integrations = dataSource.getRepository(Integration);
  return {
    userBySysId: createRecordBySysIdLoader(dataSource.getRepository(User)),
    groupBySysId: createRecordBySysIdLoader(dataSource.getRepository(UserGroup)),
    changeRequestBySysId: createRecordBySysIdLoader(dataSource.getRepository(ChangeRequest)),
    approvalsByDocument: createRecordsByReferenceLoader(
      dataSource.getRepository(Approval),
      "documentSysId",
      { property: "sysCreatedOn", direction: "ASC" },
    ),
    incidentsCausedByChange: createRecordsByReferenceLoader(
      dataSource.getRepository(Incident),
      "causedBySysId",
      { property: "openedAt", direction: "ASC" },
    ),
    integrationById: new DataLoader<string, Integration | null>(async (ids) => {
      const rows = await integrations.findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    lastSyncRunByIntegration: new DataLoader<string, SyncRun | null>(async (ids) => {
      // Latest run per integration in one statement: rows whose startedAt is the group maximum.
      const runs = await dataSource
        .getRepository(SyncRun)
        .createQueryBuilder("run")
        .where("run.integrationId IN (:...ids)", { ids: [...ids] })
        .andWhere(
          "run.startedAt = (SELECT MAX(latest.started_at) FROM sync_run latest WHERE latest.integration_id = run.integration_id)",
        )
        .getMany();
      // Two runs may share the latest start: the greater id wins, the same on every request.
      const byIntegration = new Map(
        runs.sort((a, b) => a.id.localeCompare(b.id)).map((run) => [run.integrationId, run]),
      );
      return ids.map((id) => byIntegration.get(id) ?? null);
    }),
    journalEntriesByRecord(options) {
      // One loader per distinct (first, element): their batches stay one query each.
      const key = `${options.first}:${options.element ?? "*"}`;
      let loader = journalLoaders.get(key);
      if (!loader) {
        loader = createJournalEntriesByRecordLoader(dataSource, options);
        journalLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
