import { choiceMembersOf, choiceOf } from "../../table-model/choice-values";
import { CHANGE_REQUEST_STATE_VALUES } from "./change-request.table";

/** Known change states (the GraphQL enum ChangeRequestState is built from the same values). */
export type ChangeRequestState = keyof typeof CHANGE_REQUEST_STATE_VALUES;
export const ChangeRequestState = choiceMembersOf(CHANGE_REQUEST_STATE_VALUES);

export const changeRequestStateOf = choiceOf(CHANGE_REQUEST_STATE_VALUES);
