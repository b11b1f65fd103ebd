import { registerEnumType } from "type-graphql";

import { choiceOf } from "../../common/choice-values";

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

export const changeRequestStateOf = choiceOf(CHANGE_REQUEST_STATE_VALUES);

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
