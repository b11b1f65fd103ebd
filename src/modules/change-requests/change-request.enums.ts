import { registerEnumType } from "type-graphql";

export enum ChangeRequestState {
  NEW = "NEW",
  ASSESS = "ASSESS",
  AUTHORIZE = "AUTHORIZE",
  SCHEDULED = "SCHEDULED",
  IMPLEMENT = "IMPLEMENT",
  REVIEW = "REVIEW",
  CLOSED = "CLOSED",
  CANCELED = "CANCELED",
}

export const CHANGE_REQUEST_STATE_VALUES: Readonly<Record<ChangeRequestState, string>> = {
  [ChangeRequestState.NEW]: "-5",
  [ChangeRequestState.ASSESS]: "-4",
  [ChangeRequestState.AUTHORIZE]: "-3",
  [ChangeRequestState.SCHEDULED]: "-2",
  [ChangeRequestState.IMPLEMENT]: "-1",
  [ChangeRequestState.REVIEW]: "0",
  [ChangeRequestState.CLOSED]: "3",
  [ChangeRequestState.CANCELED]: "4",
};

const CHANGE_REQUEST_STATE_BY_VALUE = new Map(
  Object.entries(CHANGE_REQUEST_STATE_VALUES).map(([state, value]) => [
    value,
    state as ChangeRequestState,
  ]),
);

export function changeRequestStateOf(value: string | null): ChangeRequestState | null {
  return value === null ? null : (CHANGE_REQUEST_STATE_BY_VALUE.get(value) ?? null);
}

export enum ChangeRequestOrderField {
  NUMBER = "NUMBER",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  PLANNED_START = "PLANNED_START",
  PRIORITY = "PRIORITY",
  STATE = "STATE",
}

registerEnumType(ChangeRequestState, { name: "ChangeRequestState" });
registerEnumType(ChangeRequestOrderField, { name: "ChangeRequestOrderField" });
