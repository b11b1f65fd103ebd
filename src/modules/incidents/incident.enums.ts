import { registerEnumType } from "type-graphql";

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

const INCIDENT_STATE_BY_VALUE = new Map(
  Object.entries(INCIDENT_STATE_VALUES).map(([state, value]) => [value, state as IncidentState]),
);

export function incidentStateOf(value: string | null): IncidentState | null {
  return value === null ? null : (INCIDENT_STATE_BY_VALUE.get(value) ?? null);
}

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
