import { recordEntityClassOf } from "../../database/entities";
import type { RecordRow } from "../../database/record-row.type";
import { INCIDENT_TABLE } from "./incident.table";

/** A stored incident row: derived from `INCIDENT_TABLE` (the entity and its GraphQL type are built from it). */
export type Incident = RecordRow<typeof INCIDENT_TABLE>;
export const Incident = recordEntityClassOf(INCIDENT_TABLE);
