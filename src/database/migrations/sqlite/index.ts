/* eslint-disable @typescript-eslint/no-require-imports -- a migration's module loads when it runs */
import { lazyMigration, type MigrationClass } from "../lazy-migration";

/** In order of creation; never edit a migration once it is on main. Modules load when run. */
export const SQLITE_MIGRATIONS: MigrationClass[] = [
  lazyMigration(
    "Initial1795621038097",
    () =>
      (require("./1795621038097-Initial") as typeof import("./1795621038097-Initial"))
        .Initial1795621038097,
  ),
  lazyMigration(
    "AddOAuthState1795621276793",
    () =>
      (require("./1795621276793-AddOAuthState") as typeof import("./1795621276793-AddOAuthState"))
        .AddOAuthState1795621276793,
  ),
  lazyMigration(
    "AddSyncLease1795622717107",
    () =>
      (require("./1795622717107-AddSyncLease") as typeof import("./1795622717107-AddSyncLease"))
        .AddSyncLease1795622717107,
  ),
  lazyMigration(
    "AddSyncStateOverlap1795624002355",
    () =>
      (
        require("./1795624002355-AddSyncStateOverlap") as typeof import("./1795624002355-AddSyncStateOverlap")
      ).AddSyncStateOverlap1795624002355,
  ),
  lazyMigration(
    "AddSyncRunCount1796221590186",
    () =>
      (
        require("./1796221590186-AddSyncRunCount") as typeof import("./1796221590186-AddSyncRunCount")
      ).AddSyncRunCount1796221590186,
  ),
  lazyMigration(
    "AddProblem1796229295113",
    () =>
      (require("./1796229295113-AddProblem") as typeof import("./1796229295113-AddProblem"))
        .AddProblem1796229295113,
  ),
  lazyMigration(
    "AddChangeRequestClosedAt1796229984748",
    () =>
      (
        require("./1796229984748-AddChangeRequestClosedAt") as typeof import("./1796229984748-AddChangeRequestClosedAt")
      ).AddChangeRequestClosedAt1796229984748,
  ),
  lazyMigration(
    "AddIncidentWrites1796231120448",
    () =>
      (
        require("./1796231120448-AddIncidentWrites") as typeof import("./1796231120448-AddIncidentWrites")
      ).AddIncidentWrites1796231120448,
  ),
  lazyMigration(
    "AddInsightsIndexes1796300100000",
    () =>
      (
        require("./1796300100000-AddInsightsIndexes") as typeof import("./1796300100000-AddInsightsIndexes")
      ).AddInsightsIndexes1796300100000,
  ),
];
