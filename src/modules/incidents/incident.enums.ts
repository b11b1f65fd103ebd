import { registerEnumType } from "type-graphql";

import { choiceOf } from "../../common/choice-values";

/** Known incident states; instances may add their own, kept raw in `stateValue`. */
export enum IncidentState {
  NEW = "NEW",
  IN_PROGRESS = "IN_PROGRESS",
  ON_HOLD = "ON_HOLD",
  RESOLVED = "RESOLVED",
  CLOSED = "CLOSED",
  CANCELED = "CANCELED",
}

export const INCIDENT_STATE_VALUES: Readonly<Record<IncidentState, string>> = {
  [IncidentState.NEW]: "1",
  [IncidentState.IN_PROGRESS]: "2",
  [IncidentState.ON_HOLD]: "3",
  [IncidentState.RESOLVED]: "6",
  [IncidentState.CLOSED]: "7",
  [IncidentState.CANCELED]: "8",
};

export const incidentStateOf = choiceOf(INCIDENT_STATE_VALUES);

export enum IncidentOrderField {
  NUMBER = "NUMBER",
  OPENED_AT = "OPENED_AT",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  RESOLVED_AT = "RESOLVED_AT",
  CLOSED_AT = "CLOSED_AT",
  PRIORITY = "PRIORITY",
  STATE = "STATE",
}

registerEnumType(IncidentState, { name: "IncidentState" });
registerEnumType(IncidentOrderField, { name: "IncidentOrderField" });
