import type { MigrationInterface } from "typeorm";

import { Initial1795621038097 } from "./1795621038097-Initial";
import { AddOAuthState1795621276793 } from "./1795621276793-AddOAuthState";
import { AddSyncLease1795622717107 } from "./1795622717107-AddSyncLease";
import { AddSyncStateOverlap1795624002355 } from "./1795624002355-AddSyncStateOverlap";
import { AddSyncRunCount1796221590186 } from "./1796221590186-AddSyncRunCount";
import { AddProblem1796229295113 } from "./1796229295113-AddProblem";
import { AddChangeRequestClosedAt1796229984748 } from "./1796229984748-AddChangeRequestClosedAt";
import { AddIncidentWrites1796231120448 } from "./1796231120448-AddIncidentWrites";
import { AddBinaryTextSortIndexes1796300000000 } from "./1796300000000-AddBinaryTextSortIndexes";

/** In order of creation; never edit a migration once it is on main. */
export const POSTGRES_MIGRATIONS: Array<new () => MigrationInterface> = [
  Initial1795621038097,
  AddOAuthState1795621276793,
  AddSyncLease1795622717107,
  AddSyncStateOverlap1795624002355,
  AddSyncRunCount1796221590186,
  AddProblem1796229295113,
  AddChangeRequestClosedAt1796229984748,
  AddIncidentWrites1796231120448,
  AddBinaryTextSortIndexes1796300000000,
];
