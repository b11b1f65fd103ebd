/* eslint-disable @typescript-eslint/no-require-imports -- a migration's module loads when it runs */
import { lazyMigrations } from "../lazy-migration";

/** In order of creation; never edit a migration once it is on main. Modules load when run. */
export const POSTGRES_MIGRATIONS = lazyMigrations(
  (file) => require(`./${file}`) as Record<string, unknown>,
  [
    "1795621038097-Initial",
    "1795621276793-AddOAuthState",
    "1795622717107-AddSyncLease",
    "1795624002355-AddSyncStateOverlap",
    "1796221590186-AddSyncRunCount",
    "1796229295113-AddProblem",
    "1796229984748-AddChangeRequestClosedAt",
    "1796231120448-AddIncidentWrites",
    "1796300000000-AddBinaryTextSortIndexes",
    "1796300100000-AddInsightsIndexes",
    "1796300200000-AddSyncDeferredIndex",
    "1796300300000-AddWebhooks",
  ],
);
