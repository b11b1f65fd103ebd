import { choiceMembersOf, choiceOf } from "../../table-model/choice-values";
import { INCIDENT_STATE_VALUES } from "./incident.table";

/** Known incident states (the GraphQL enum IncidentState is built from the same values). */
export type IncidentState = keyof typeof INCIDENT_STATE_VALUES;
export const IncidentState = choiceMembersOf(INCIDENT_STATE_VALUES);

export const incidentStateOf = choiceOf(INCIDENT_STATE_VALUES);
